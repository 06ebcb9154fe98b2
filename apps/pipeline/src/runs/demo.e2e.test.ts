import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { INestApplication } from '@nestjs/common';
import { PipelineFixture } from '../testing/pipeline-fixture';
import { RunsService } from './runs.service';

describe('demo data (DEMO_DATA=true)', () => {
  let fixture: PipelineFixture;

  before(async () => {
    fixture = await PipelineFixture.create('pipeline_demo');
  });

  after(() => fixture?.dispose());

  const start = () =>
    fixture.start({ DEMO_DATA: 'true', PIPELINE_DEMO_FILES: '2', PIPELINE_DEMO_ROWS: '300' });

  async function settledRuns(app: INestApplication) {
    const runs = app.get(RunsService);
    for (let i = 0; i < 200; i++) {
      const { runs: list } = await runs.listRuns(10, 0);
      if (list.length && list.every((run) => run.status === 'completed')) return list;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.fail('the demo run did not complete');
  }

  it('generates and processes demo files on first start only', async () => {
    let app = await start();
    const first = await settledRuns(app);
    assert.equal(first.length, 1);
    assert.equal(first[0].trigger, 'demo');
    assert.equal(first[0].filesProcessed, 2);
    assert.equal(first[0].rowsRead, 600);

    app = await start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = await settledRuns(app);
    await fixture.stop();
    assert.equal(second.length, 1, 'a second start loads nothing');
    assert.deepEqual(await fixture.visible('incoming'), []);
  });
});
