import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, runNodeScript, ScriptResult, TestDatabase } from '@des/shared/testing';

const CLI = join(__dirname, 'main.js');

describe('banner CLI (npm run banner)', () => {
  let database: TestDatabase;
  let dir: string;

  /** Runs the built CLI as `npm run banner` does, from `dir` as the caller's folder. */
  const banner = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<ScriptResult> =>
    runNodeScript(CLI, args, { ...process.env, DATABASE_URL: database.url, INIT_CWD: dir, ...env });

  before(async () => {
    database = await createTestDatabase('banner_cli');
    dir = await mkdtemp(join(tmpdir(), 'banner-cli-'));
    await writeFile(join(dir, 'impressions_1.csv'), 'banner_id,campaign_id\n1,7\n2,7\n3,7\n');
    await writeFile(join(dir, 'clicks_1.csv'), 'click_id,banner_id,campaign_id\n1,2,7\n2,x,7\n');
  });

  after(async () => {
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('explains its usage when the command is missing or unknown (exit 2)', async () => {
    for (const args of [
      [],
      ['launch'],
      ['import'],
      ['generate', '--out'],
      ['generate', '--x'],
      ['generate', 'extra'],
    ]) {
      const result = await banner(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, /Usage: npm run banner -- <command>/);
    }
  });

  it('generate --out writes the twelve demo CSVs into a folder relative to the caller', async () => {
    const result = await banner(['generate', '--out', 'demo']);
    assert.equal(result.code, 0, result.stderr);
    const files = await readdir(join(dir, 'demo'));
    assert.equal(files.length, 12);
    assert.equal(result.stdout.trim().split('\n').length, 12);
    assert.ok(result.stdout.includes(join(dir, 'demo', 'impressions_1.csv')));
  });

  it('imports a file, then refuses the same content as a duplicate (exit 1)', async () => {
    const first = await banner(['import', 'impressions_1.csv']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(
      first.stdout,
      /impressions_1\.csv: import #\d+ \(impressions, dataset 1\): 3 rows stored/,
    );
    assert.match(first.stdout, /dataset 1: #\d+ is a draft \(missing clicks, conversions\)/);
    const again = await banner(['import', 'impressions_1.csv']);
    assert.equal(again.code, 1);
    assert.match(
      again.stderr,
      /duplicate or conflict: .*impressions_1\.csv has the same content as import #/,
    );
  });

  it('names the file, line and field of each bad row, and unreadable files, and exits 1', async () => {
    const result = await banner(['import', 'clicks_1.csv']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /rejected: Upload refused, nothing stored: clicks_1\.csv/);
    assert.match(result.stderr, /clicks_1\.csv:3 banner_id: /);
    const missing = await banner(['import', 'impressions_1.csv', 'missing_2.csv']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /missing_2\.csv: cannot read .*; nothing imported/);
  });

  it('refuses a malformed DATABASE_URL, naming it (exit 1)', async () => {
    const result = await banner(['import', 'impressions_1.csv'], {
      DATABASE_URL: 'mysql://u@127.0.0.1/x',
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /DATABASE_URL/);
  });
});
