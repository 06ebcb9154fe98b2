import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DBGEN_SUPPLIER_LINES, WarehouseFixture } from '../testing/warehouse-fixture';

const CLI = join(__dirname, 'main.js');

describe('npm run warehouse -- load supplier', () => {
  const fixture = new WarehouseFixture();
  const cli = (args: string[]) =>
    spawnSync(process.execPath, [CLI, ...args], {
      env: {
        ...process.env,
        DATABASE_URL: fixture.database.url,
        WAREHOUSE_SOURCE_DIR: fixture.sourceDir,
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
  before(() => fixture.start());
  after(() => fixture.stop());

  it('loads a night, prints the record, exits 0; a second time it is skipped', async () => {
    await fixture.night('20261201', {
      'supplier.tbl': DBGEN_SUPPLIER_LINES.map((line) => `${line}\n`).join(''),
    });
    const first = cli(['load', 'supplier', '--night', '20261201']);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /^supplier 20261201: run #\d+ loaded 5 rows from 1 file\(s\)/);
    assert.equal(JSON.parse(first.stdout.slice(first.stdout.indexOf('{'))).trigger, 'cli');
    const again = cli(['load', 'supplier']);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /skipped: same content as run #\d+/);
  });

  it('exits 1 naming the place of a bad value, and 2 for a bad night', async () => {
    await fixture.night('20261202', { 'supplier.tbl': 'x1|Supplier#000000001\n' });
    const failed = cli(['load', 'supplier', '--night', '20261202']);
    assert.equal(failed.status, 1);
    assert.match(failed.stderr, /failed, nothing loaded: supplier\.tbl, line 1: expected 7 fields/);
    const usage = cli(['load', 'supplier', '--night', '2026-12-02']);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /--night\/--delivery must be a date as YYYYMMDD/);
  });
});
