import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { INestApplication } from '@nestjs/common';
import { createTestDatabase, TestDatabase } from '@des/shared/testing';
import { createApp } from '../app';
import { pipelineEnv, visible } from './e2e-support';
import { RunsService } from './runs.service';

describe('demo data (DEMO_DATA=true)', () => {
  let database: TestDatabase;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    database = await createTestDatabase('pipeline_demo');
    dir = await mkdtemp(join(tmpdir(), 'pipeline-demo-'));
    env = {
      ...pipelineEnv(database.url, dir),
      DEMO_DATA: 'true',
      PIPELINE_DEMO_FILES: '2',
      PIPELINE_DEMO_ROWS: '300',
    };
  });

  after(async () => {
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  async function start(): Promise<INestApplication> {
    const app = await createApp(env);
    await app.init();
    return app;
  }

  async function settledRuns(app: INestApplication) {
    const runs = app.get(RunsService);
    for (let i = 0; i < 200; i++) {
      const { runs: list } = await runs.listRuns(10, 0);
      if (list.length && list.every((run) => run.status === 'completed')) return list;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.fail('the demo run did not complete');
  }

  it('generates and processes a demo batch on first start only', async () => {
    let app = await start();
    const first = await settledRuns(app);
    assert.equal(first.length, 1);
    assert.equal(first[0].trigger, 'demo');
    assert.equal(first[0].filesProcessed, 2);
    assert.equal(first[0].rowsRead, 600);
    await app.close();

    app = await start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = await settledRuns(app);
    await app.close();
    assert.equal(second.length, 1, 'a second start loads nothing');
    assert.deepEqual(await visible(dir, 'incoming'), []);
  });
});
