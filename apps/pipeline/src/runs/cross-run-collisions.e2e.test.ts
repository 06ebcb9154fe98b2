import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { RunView } from './dto/run.view';
import { PipelineFixture } from '../testing/pipeline-fixture';
import { IssuedMembershipId } from '../ledger/issued-membership-id.entity';
import { LedgerSession } from '../ledger/ledger.repository';

describe('membership id collisions across runs', () => {
  let fixture: PipelineFixture;
  let app: INestApplication;
  let firstRun: RunView;

  const runNow = async (): Promise<RunView> => {
    const response = await request(app.getHttpServer()).post('/runs?wait=true').expect(200);
    return response.body as RunView;
  };
  const successfulRows = async (view: RunView) => fixture.readCsv(view.successfulOutput!);

  before(async () => {
    fixture = await PipelineFixture.create('pipeline');
    app = await fixture.start();
  });

  after(() => fixture?.dispose());

  it('reports an id an earlier run issued to a different person, and still writes the row', async () => {
    await fixture.dropFile('a.csv', ['Jane Smith,jane@example.com,1990-07-15,12345678']);
    firstRun = await runNow();
    assert.equal(firstRun.status, 'completed');
    assert.equal(firstRun.crossRunCollisions, 0);
    assert.deepEqual(firstRun.summary!.crossRunCollisionSamples, []);
    const [jane] = await successfulRows(firstRun);

    await fixture.dropFile('b.csv', [
      'Tom Lee,tom@lee.com,1980-01-01,11112222',
      'Mary Smith,mary@example.net,15-07-1990,87654321',
    ]);
    const second = await runNow();
    assert.equal(second.status, 'completed');
    assert.equal(second.successful, 2);
    assert.equal(second.membershipCollisions, 0);
    assert.equal(second.crossRunCollisions, 1);
    assert.deepEqual(second.summary!.crossRunCollisionSamples, [
      {
        membershipId: jane.membership_id,
        earlierRunId: firstRun.id,
        row: { file: 'b.csv', line: 3 },
      },
    ]);
    const rows = await successfulRows(second);
    const mary = rows.find((row) => row.first_name === 'Mary');
    const tom = rows.find((row) => row.first_name === 'Tom');
    assert.equal(mary?.membership_id, jane.membership_id);

    // The id stays with its first holder; the second run added only its new id.
    const issued = await app
      .get(DataSource)
      .getRepository(IssuedMembershipId)
      .find({ order: { membershipId: 'ASC' } });
    assert.deepEqual(
      issued.map((row) => [row.membershipId, row.runId]),
      [
        [jane.membership_id.toLowerCase(), firstRun.id],
        [tom!.membership_id.toLowerCase(), second.id],
      ].sort((x, y) => x[0].localeCompare(y[0])),
    );
  });

  it('processes nothing on a re-run', async () => {
    const view = await runNow();
    assert.equal(view.status, 'completed');
    assert.deepEqual(view.files, []);
    assert.equal(view.crossRunCollisions, 0);
    assert.equal(view.successfulOutput, null);
  });

  it('does not count the same person arriving again in a later file', async () => {
    await fixture.dropFile('c.csv', ['MS. JANE SMITH,Jane@Example.COM,07/15/1990,1234 9999']);
    const view = await runNow();
    assert.equal(view.status, 'completed');
    assert.equal(view.successful, 1);
    assert.equal(view.crossRunCollisions, 0);
    assert.equal(view.membershipCollisions, 0);
    const issued = await app
      .get(DataSource)
      .getRepository(IssuedMembershipId)
      .findOneByOrFail({
        membershipId: (await successfulRows(view))[0].membership_id.toLowerCase(),
      });
    assert.equal(issued.runId, firstRun.id);
  });

  it('records no id when the commit transaction fails, and issues it on the next run', async () => {
    const dataSource = app.get(DataSource);
    const issued = dataSource.getRepository(IssuedMembershipId);
    const before = await issued.count();
    // A real failure at the very end of the commit transaction, after the ids were inserted.
    await dataSource.query(`CREATE FUNCTION pipeline.refuse_commit() RETURNS trigger LANGUAGE plpgsql AS
      $$ BEGIN RAISE EXCEPTION 'commit refused by test'; END $$`);
    await dataSource.query(`CREATE TRIGGER refuse_commit BEFORE UPDATE ON pipeline.runs FOR EACH ROW
      WHEN (NEW.status = 'committed') EXECUTE FUNCTION pipeline.refuse_commit()`);
    await fixture.dropFile('d.csv', ['Kim Ong,kim@ong.com,1970-03-03,22223333']);
    try {
      const failed = await runNow();
      assert.equal(failed.status, 'failed');
      assert.equal(await issued.count(), before);
    } finally {
      await dataSource.query('DROP TRIGGER refuse_commit ON pipeline.runs');
      await dataSource.query('DROP FUNCTION pipeline.refuse_commit()');
    }
    const view = await runNow();
    assert.equal(view.status, 'completed');
    assert.deepEqual(
      view.files.map((file) => [file.fileName, file.outcome]),
      [['d.csv', 'processed']],
    );
    assert.equal(view.crossRunCollisions, 0);
    assert.equal(await issued.count(), before + 1);
  });

  it('sends ids in chunks as joined text, or as arrays when a value holds a line break', async () => {
    const runner = app.get(DataSource).createQueryRunner();
    await runner.connect();
    const session = new LedgerSession(runner, 1000);
    try {
      const person = (name: string) => [name, 'Lee', 'x@y.com', '19900101'].join('\u001f');
      for (const withBreak of [false, true]) {
        const ids = await session.openIssuedIds();
        ids.add(0, 0, 2, 'Lee_abcde', person('Ann'), 0xffffffff, 7);
        ids.add(1, 0, 3, 'LEE_abcde', person(withBreak ? 'Bo\nBo' : 'Bo'), 1, 3);
        ids.add(2, 1, 2, 'Tan_12345', person(''), 0, 0xfffffffe);
        await ids.finish();
        const rows = (await runner.query(
          `SELECT ord, file_index, line, membership_id, id_key, fingerprint::text,
                  person_key = hashtextextended(lower($1 COLLATE "C"), 0) AS ann
           FROM pg_temp.run_issued_ids ORDER BY ord`,
          [person('ANN')],
        )) as Array<Record<string, unknown>>;
        assert.deepEqual(
          rows.map((row) => [
            row.ord,
            row.file_index,
            row.line,
            row.membership_id,
            row.id_key,
            row.ann,
            row.fingerprint,
          ]),
          [
            [0, 0, 2, 'Lee_abcde', 'lee_abcde', true, String(-(2 ** 32) + 7)],
            [1, 0, 3, 'LEE_abcde', 'lee_abcde', false, String(2 ** 32 + 3)],
            [2, 1, 2, 'Tan_12345', 'tan_12345', false, String(2 ** 32 - 2)],
          ],
        );
      }
    } finally {
      await session.close();
    }
  });
});
