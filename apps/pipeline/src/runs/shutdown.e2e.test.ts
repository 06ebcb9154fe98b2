import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { generateBatches } from '../generator/batch-generator';
import { RunView } from './dto/run.view';
import { PipelineFixture } from '../testing/pipeline-fixture';
import { RunsService } from './runs.service';

/** Issue 16, hole 7: progress of a running run over HTTP, and a clean stop on shutdown. */
describe('a running run', () => {
  let fixture: PipelineFixture;
  let app: INestApplication;
  let dir: string;

  before(async () => {
    fixture = await PipelineFixture.create('pipeline_shutdown');
    dir = fixture.dir;
    await generateBatches({ dir: join(dir, 'incoming'), files: 3, rows: 40_000, seed: 7 });
    app = await fixture.start();
  });

  after(() => fixture?.dispose());

  it('shows its rows so far and current file, and on shutdown finishes that file only', async () => {
    const started = await request(app.getHttpServer()).post('/runs').expect(202);
    const id = (started.body as RunView).id;
    let live: RunView | undefined;
    for (let i = 0; i < 400 && !live; i++) {
      const view = (await request(app.getHttpServer()).get(`/runs/${id}`)).body as RunView;
      if (view.status === 'running' && view.rowsRead > 0) live = view;
      else await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.ok(live, 'never saw the run with rows read');
    assert.match(live.currentFile!, /\.csv$/);

    await fixture.stop(); // what SIGTERM does: the run finishes its current file, then stops
    app = await fixture.start();
    const after = await app.get(RunsService).findRun(id);
    assert.equal(after.status, 'completed');
    assert.equal(after.files.length, 1);
    assert.equal(after.files[0].outcome, 'processed');
    assert.equal(after.files[0].read, 40_000);
    assert.deepEqual(
      after.summary?.notTaken?.map((entry) => entry.reason),
      [
        'the pipeline was shutting down; left for the next run',
        'the pipeline was shutting down; left for the next run',
      ],
    );
    assert.equal((await fixture.visible('incoming')).length, 2);
  });
});
