import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { INestApplication } from '@nestjs/common';
import { createTestDatabase, TestDatabase } from '@des/shared/testing';
import { createApp } from '../app';
import { generateBatches } from '../generator/batch-generator';
import { hidden, pipelineEnv, visible } from './e2e-support';
import { RunsService } from './runs.service';

const ROWS = 150_000;
const CLI = join(__dirname, '..', 'cli', 'main.js');

describe('a run killed half way', () => {
  let database: TestDatabase;
  let dir: string;
  let app: INestApplication | undefined;

  before(async () => {
    database = await createTestDatabase('pipeline_crash');
    dir = await mkdtemp(join(tmpdir(), 'pipeline-crash-'));
  });

  after(async () => {
    await app?.close();
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('leaves no visible output, and the next run processes its file exactly once', async () => {
    const [file] = await generateBatches({
      dir: join(dir, 'incoming'),
      files: 1,
      rows: ROWS,
      seed: 11,
    });
    const env = pipelineEnv(database.url, dir);
    const child = spawn(process.execPath, [CLI, 'run'], { env, stdio: 'ignore' });
    const exited = once(child, 'exit');

    // Kill -9 as soon as the run is visibly writing its part files (in its work folder).
    let killed = false;
    for (let i = 0; i < 1200 && !killed; i++) {
      const runFolders = await readdir(join(dir, '.work')).catch(() => [] as string[]);
      const parts = runFolders.map((run) => join(dir, '.work', run, 'successful.part0.csv'));
      const sizes = await Promise.all(
        parts.map((path) =>
          stat(path).then(
            (s) => s.size,
            () => 0,
          ),
        ),
      );
      if (sizes.some((size) => size > 0)) {
        child.kill('SIGKILL');
        killed = true;
      } else {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    }
    await exited;
    assert.ok(killed, 'the run never started writing');
    assert.equal(child.signalCode, 'SIGKILL', 'the run finished before it could be killed');

    assert.deepEqual(await visible(dir, 'successful'), []);
    assert.deepEqual(await visible(dir, 'failed'), []);
    assert.deepEqual(await visible(dir, 'processed'), []);
    assert.deepEqual(await visible(dir, 'incoming'), [file.split('/').pop()]);

    app = await createApp(env);
    await app.init();
    const runs = app.get(RunsService);
    const view = await runs.run('cli');
    assert.equal(view.status, 'completed');
    assert.equal(view.filesProcessed, 1);
    assert.equal(view.rowsRead, ROWS);
    assert.equal(view.successful + view.failed + view.duplicates, ROWS);

    const history = await runs.listRuns(10, 0);
    assert.deepEqual(
      history.runs.map((run) => run.status),
      ['completed', 'abandoned'],
    );
    assert.deepEqual(await hidden(dir, 'successful'), []);
    assert.deepEqual(await hidden(dir, 'failed'), []);
    const lines = async (path: string) =>
      (await readFile(path, 'utf8')).split('\n').filter(Boolean).length - 1;
    assert.equal(await lines(join(dir, view.successfulOutput!)), view.successful);
    assert.equal(await lines(join(dir, view.failedOutput!)), view.failed);
    assert.equal((await runs.run('cli')).files.length, 0);
  });
});
