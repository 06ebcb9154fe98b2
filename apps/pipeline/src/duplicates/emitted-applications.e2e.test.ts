import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { INestApplication } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';
import { LedgerSession } from '../ledger/ledger.repository';
import { PipelineFixture } from '../testing/pipeline-fixture';
import { EmittedApplications } from './emitted-applications';

describe('EmittedApplications', () => {
  let fixture: PipelineFixture;
  let app: INestApplication;
  let runner: QueryRunner;

  before(async () => {
    fixture = await PipelineFixture.create('pipeline_emitted');
    app = await fixture.start();
    runner = app.get(DataSource).createQueryRunner();
    await runner.connect();
  });

  after(async () => {
    await runner?.release();
    await fixture?.dispose();
  });

  /** Records a run that emitted these fingerprints ([hi, lo] pairs). */
  async function emit(runId: string, fingerprints: Array<[number, number]>, limit: number) {
    const session = new LedgerSession(runner, limit);
    const ids = await session.openIssuedIds();
    fingerprints.forEach(([hi, lo], ord) => ids.add(ord, 0, ord + 2, `Id_${ord}`, 'p', hi, lo));
    await ids.finish();
    await EmittedApplications.record(runner, runId, limit);
    await runner.query('DROP TABLE pg_temp.run_issued_ids');
  }

  it('remembers what runs emitted, in full 64 bits, and forgets the oldest runs past the bound', async () => {
    await emit(
      'run-1',
      [
        [0xffffffff, 7],
        [1, 3],
      ],
      3,
    );
    await emit('run-2', [[5, 9]], 3);
    let emitted = await EmittedApplications.load(runner);
    assert.deepEqual(
      [emitted.has(0xffffffff, 7), emitted.has(1, 3), emitted.has(5, 9), emitted.has(1, 7)],
      [true, true, true, false],
    );
    // A third run reaches the bound: the oldest run's fingerprints go, the newest always stay.
    await emit(
      'run-3',
      [
        [6, 11],
        [8, 13],
        [10, 15],
      ],
      3,
    );
    emitted = await EmittedApplications.load(runner);
    assert.equal(emitted.size, 3);
    assert.deepEqual(
      [emitted.has(1, 3), emitted.has(5, 9), emitted.has(8, 13)],
      [false, false, true],
    );
  });
});
