import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { generateBatches } from '../generator/batch-generator';
import { PipelineFixture } from '../testing/pipeline-fixture';
import { RunsService } from './runs.service';

const ROWS = 150_000;
const CLI = join(__dirname, '..', 'cli', 'main.js');

describe('a run killed half way', () => {
  let fixture: PipelineFixture;
  let dir: string;

  before(async () => {
    fixture = await PipelineFixture.create('pipeline_crash');
    dir = fixture.dir;
  });

  after(() => fixture?.dispose());

  it('leaves no visible output, and the next run processes its file exactly once', async () => {
    const [file] = await generateBatches({
      dir: join(dir, 'incoming'),
      files: 1,
      rows: ROWS,
      seed: 11,
    });
    const child = spawn(process.execPath, [CLI, 'run'], { env: fixture.env(), stdio: 'ignore' });
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

    assert.deepEqual(await fixture.visible('successful'), []);
    assert.deepEqual(await fixture.visible('failed'), []);
    assert.deepEqual(await fixture.visible('processed'), []);
    assert.deepEqual(await fixture.visible('incoming'), [file.split('/').pop()]);

    const app = await fixture.start();
    // PostgreSQL ends the killed process's session (and its run lock) only once it notices the
    // closed socket, after the statement it was running; until then the run still looks alive.
    const database = app.get(DataSource);
    const otherSessionsLocks = async () =>
      (
        await database.query(
          `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a USING (pid)
            WHERE l.locktype = 'advisory' AND a.datname = current_database()
              AND a.pid <> pg_backend_pid()`,
        )
      )[0].n as number;
    for (let i = 0; i < 200 && (await otherSessionsLocks()) > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
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
    assert.deepEqual(await fixture.hidden('successful'), []);
    assert.deepEqual(await fixture.hidden('failed'), []);
    const lines = async (path: string) =>
      (await readFile(path, 'utf8')).split('\n').filter(Boolean).length - 1;
    assert.equal(await lines(join(dir, view.successfulOutput!)), view.successful);
    assert.equal(await lines(join(dir, view.failedOutput!)), view.failed);
    assert.equal((await runs.run('cli')).files.length, 0);
  });
});
