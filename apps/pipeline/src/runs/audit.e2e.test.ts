import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { INestApplication } from '@nestjs/common';
import { createTestDatabase, TestDatabase } from '@des/shared/testing';
import { createApp } from '../app';
import { generateBatches } from '../generator/batch-generator';
import { pipelineEnv } from './e2e-support';
import { RunsService } from './runs.service';

/** The holes a real audit found (issue 16), each reproduced against a real run. */
describe('pipeline audit holes', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let dir: string;
  let runs: RunsService;

  before(async () => {
    database = await createTestDatabase('pipeline_audit');
    dir = await mkdtemp(join(tmpdir(), 'pipeline-audit-'));
    await mkdir(join(dir, 'incoming'), { recursive: true });
    app = await createApp(pipelineEnv(database.url, dir));
    await app.init();
    runs = app.get(RunsService);
  });

  after(async () => {
    await app?.close();
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('1. shows no work in progress in the published folders under a name a reader takes', async () => {
    await generateBatches({ dir: join(dir, 'incoming'), files: 2, rows: 3000, seed: 16 });
    const taken = new Set<string>();
    let looks = 0;
    const view = await runs.run('cli', () => {
      looks += 1;
      for (const folder of ['successful', 'failed']) {
        for (const name of readdirSync(join(dir, folder))) {
          if (name.toLowerCase().endsWith('.csv')) taken.add(`${folder}/${name}`);
        }
      }
    });
    assert.equal(view.status, 'completed');
    assert.ok(looks > 2, `looked ${looks} times while the files were read`);
    assert.deepEqual([...taken], []);
  });
});
