import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { RunView } from './dto/run.view';
import { PipelineFixture } from '../testing/pipeline-fixture';
import { LedgerEntry } from '../ledger/ledger-entry.entity';
import { LedgerRepository } from '../ledger/ledger.repository';
import { RunFile } from './run-file.entity';
import { Run } from './run.entity';
import { RunRecovery } from './run-recovery';
import { RunsService } from './runs.service';

const GOOD = [
  'Dr. Jane Smith Jr.,jane@example.com,1990-07-15,1234 5678',
  'John Tan,john@example.net,12/31/1985,87654321',
  ',nobody@example.com,1990-01-01,12345678',
];
const MORE = ['Ann Lee,ann@lee.com,25-12-1980,11112222', 'Bo Ng,bo@ng.org,1980/01/01,1234567'];

describe('pipeline runs against PostgreSQL', () => {
  let fixture: PipelineFixture;
  let app: INestApplication;
  let dir: string;
  let runs: RunsService;

  const runNow = async (): Promise<RunView> => {
    const response = await request(app.getHttpServer()).post('/runs?wait=true').expect(200);
    return response.body as RunView;
  };

  before(async () => {
    fixture = await PipelineFixture.create('pipeline');
    dir = fixture.dir;
    app = await fixture.start();
    runs = app.get(RunsService);
  });

  after(() => fixture?.dispose());

  it('consolidates two files of one run into one pair of outputs', async () => {
    await fixture.dropFile('a.csv', GOOD);
    await fixture.dropFile('b.csv', MORE);
    const view = await runNow();
    assert.equal(view.status, 'completed');
    assert.deepEqual(
      view.files.map((f) => [f.fileName, f.outcome, f.read, f.successful, f.failed]),
      [
        ['a.csv', 'processed', 3, 2, 1],
        ['b.csv', 'processed', 2, 1, 1],
      ],
    );
    assert.deepEqual(await fixture.visible('successful'), [`applications_${view.id}.csv`]);
    assert.deepEqual(await fixture.visible('failed'), [`applications_${view.id}.csv`]);
    const successful = await fixture.readCsv(view.successfulOutput!);
    assert.deepEqual(
      successful.map((r) => [r.first_name, r.last_name, r.date_of_birth, r.mobile_no, r.above_18]),
      [
        ['Jane', 'Smith', '19900715', '12345678', 'true'],
        ['John', 'Tan', '19851231', '87654321', 'true'],
        ['Ann', 'Lee', '19801225', '11112222', 'true'],
      ],
    );
    const expectedId = `Smith_${createHash('sha256').update('19900715').digest('hex').slice(0, 5)}`;
    assert.equal(successful[0].membership_id, expectedId);
    const failed = await fixture.readCsv(view.failedOutput!);
    assert.deepEqual(
      failed.map((r) => [r.source_file, r.line]),
      [
        ['a.csv', '4'],
        ['b.csv', '3'],
      ],
    );
    assert.match(
      failed[1].failure_reasons,
      /mobile_no: must be 8 digits \(has 7\); email: must end in/,
    );
    assert.deepEqual(await fixture.visible('incoming'), []);
    assert.deepEqual(await fixture.visible('processed'), ['a.csv', 'b.csv']);
    assert.deepEqual(await fixture.hidden('successful'), []);
  });

  it('processes nothing on a re-run', async () => {
    const view = await runNow();
    assert.equal(view.status, 'completed');
    assert.deepEqual(view.files, []);
    assert.equal(view.successfulOutput, null);
    assert.equal((await fixture.visible('successful')).length, 1);
  });

  it('skips the same content under a new name and reports it', async () => {
    await writeFile(
      join(dir, 'incoming', 'renamed.csv'),
      await readFile(join(dir, 'processed', 'a.csv')),
    );
    const view = await runNow();
    assert.equal(view.files.length, 1);
    assert.equal(view.files[0].outcome, 'skipped_already_seen');
    assert.match(view.files[0].reason!, /same content as "a\.csv", already processed by run/);
    assert.equal(view.rowsRead, 0);
    assert.deepEqual(await fixture.visible('incoming'), []);
    assert.match(
      await readFile(join(dir, 'rejected', 'renamed.csv.reason.txt'), 'utf8'),
      /already processed/,
    );
  });

  it('leaves a skipped file that grew after its claim in incoming/, and reads it whole next time', async () => {
    const again = join(dir, 'incoming', 'again.csv');
    await writeFile(again, await readFile(join(dir, 'processed', 'a.csv')));
    await fixture.dropFile('new.csv', ['Nia Low,nia@low.com,1980-01-01,12345678']);
    let appended = false;
    const first = await runs.run('cli', () => {
      if (appended) return;
      // The producer appends after the claim took the file as already seen.
      appendFileSync(again, 'Lou Tardy,lou@tardy.com,1980-01-01,12345678\n');
      appended = true;
    });
    assert.ok(appended);
    const skipped = first.files.find((file) => file.fileName === 'again.csv');
    assert.equal(skipped?.outcome, 'skipped_already_seen');
    assert.deepEqual(await fixture.visible('incoming'), ['again.csv']);
    assert.ok(!(await fixture.visible('rejected')).includes('again.csv'));

    const second = await runNow();
    assert.deepEqual(
      second.files.map((file) => [file.fileName, file.outcome]),
      [['again.csv', 'processed']],
    );
    assert.equal(second.successful, 1); // the late row; the others were emitted before
    assert.deepEqual(await fixture.visible('incoming'), []);
  });

  it('leaves a file that changes while it is read, and its copy, for a later run', async () => {
    const rows = Array.from(
      { length: 5000 },
      (_, i) => `Ed Lau${i},ed${i}@lau.com,1980-01-01,12345678`,
    );
    await fixture.dropFile('a-growing.csv', rows);
    await fixture.dropFile('b-copy.csv', rows);
    const growing = join(dir, 'incoming', 'a-growing.csv');
    let appended = false;
    const first = await runs.run('cli', () => {
      if (appended) return;
      appendFileSync(growing, 'Late Comer,late@comer.com,1980-01-01,12345678\n');
      appended = true;
    });
    assert.deepEqual(
      first.files.map((file) => [file.fileName, file.outcome, file.movedTo]),
      [
        ['a-growing.csv', 'skipped_changing', null],
        ['b-copy.csv', 'skipped_changing', null],
      ],
    );
    assert.match(first.files[1].reason!, /same content as "a-growing\.csv", which was left/);
    assert.equal(first.successfulOutput, null);
    assert.deepEqual(await fixture.visible('incoming'), ['a-growing.csv', 'b-copy.csv']);

    const second = await runs.run('cli');
    assert.deepEqual(
      second.files.map((file) => [file.fileName, file.outcome, file.read]),
      [
        ['a-growing.csv', 'processed', 5001],
        ['b-copy.csv', 'processed', 5000],
      ],
    );
    assert.equal(second.successful, 5001);
  });

  it('rejects a file with a wrong header or encoding and still processes the others', async () => {
    await fixture.dropFile(
      'bad-header.csv',
      ['x,y@z.com,1990-01-01,12345678'],
      'name,email,birthday,mobile_no\n',
    );
    await writeFile(
      join(dir, 'incoming', 'latin1.csv'),
      Buffer.from(
        'name,email,date_of_birth,mobile_no\nJos\xe9 Ng,j@n.com,1990-01-01,12345678\n',
        'latin1',
      ),
    );
    await fixture.dropFile('good.csv', ['Cy Ong,cy@ong.com,1970-01-01,22223333']);
    const view = await runNow();
    const byName = Object.fromEntries(view.files.map((f) => [f.fileName, f]));
    assert.equal(byName['bad-header.csv'].outcome, 'rejected');
    assert.equal(byName['bad-header.csv'].rejected, true);
    assert.match(
      byName['bad-header.csv'].reason!,
      /wrong header at line 1.*missing date_of_birth; unexpected "birthday"/,
    );
    assert.equal(
      byName['latin1.csv'].reason,
      'unreadable encoding: bytes that are not UTF-8 at line 2; files must be UTF-8',
    );
    assert.equal(byName['good.csv'].successful, 1);
    assert.equal(view.filesRejected, 2);
    assert.deepEqual(await fixture.visible('rejected'), [
      'bad-header.csv',
      'bad-header.csv.reason.txt',
      'latin1.csv',
      'latin1.csv.reason.txt',
      'renamed.csv',
      'renamed.csv.reason.txt',
    ]);
    assert.equal((await fixture.readCsv(view.successfulOutput!)).length, 1);
  });

  it('leaves a file another live run holds to that run', async () => {
    await fixture.dropFile('held.csv', ['Di Ho,di@ho.com,1970-01-01,22223333']);
    const sha = createHash('sha256')
      .update(await readFile(join(dir, 'incoming', 'held.csv')))
      .digest('hex');
    const other = await app.get(LedgerRepository).openSession();
    try {
      assert.equal(await other.tryLockFile(sha), true);
      const view = await runNow();
      assert.equal(view.files[0].outcome, 'skipped_busy');
      assert.deepEqual(await fixture.visible('incoming'), ['held.csv']);
    } finally {
      await other.close();
    }
    const view = await runNow();
    assert.equal(view.files[0].outcome, 'processed');
  });

  it('never processes a file twice when two runs overlap', async () => {
    for (let i = 0; i < 6; i++) {
      await fixture.dropFile(`c${i}.csv`, [
        `Person${i} Lim,p${i}@lim.com,1980-01-0${i + 1},1234567${i}`,
      ]);
    }
    const views = await Promise.all([runs.run('cli'), runs.run('http'), runs.run('cron')]);
    const processed = views.flatMap((view) =>
      view.files.filter((f) => f.outcome === 'processed').map((f) => f.fileName),
    );
    assert.deepEqual(processed.sort(), [
      'c0.csv',
      'c1.csv',
      'c2.csv',
      'c3.csv',
      'c4.csv',
      'c5.csv',
    ]);
    const rows = await Promise.all(
      views.filter((v) => v.successfulOutput).map((v) => fixture.readCsv(v.successfulOutput!)),
    );
    assert.equal(rows.flat().length, 6);
    const ledger = await app
      .get(DataSource)
      .getRepository(LedgerEntry)
      .countBy({ outcome: 'processed' });
    assert.equal(ledger, 14); // a, b, new, again, a-growing, b-copy, good, held and c0..c5
  });

  it('reports duplicated rows and membership id collisions in the run summary', async () => {
    await fixture.dropFile('d1.csv', [
      'Al Kim,al@kim.com,1990-01-01,12345678',
      'Al Kim,al@kim.com,1990-01-01,12345678',
    ]);
    await fixture.dropFile('d2.csv', [
      'al  kim,AL@kim.com,1990/01/01,1234 5678',
      'Bea Kim,bea@kim.com,1990-01-01,12345678',
    ]);
    const view = await runNow();
    assert.equal(view.duplicates, 2);
    assert.equal(view.successful, 2);
    assert.equal(view.membershipCollisions, 1);
    const summary = view.summary!;
    assert.deepEqual(summary.membershipCollisionSamples[0].first, { file: 'd1.csv', line: 2 });
    assert.deepEqual(summary.membershipCollisionSamples[0].second, { file: 'd2.csv', line: 3 });
    assert.equal(summary.duplicateSamples.length, 2);
  });

  it('serves the history with per-file counts', async () => {
    const list = await request(app.getHttpServer()).get('/runs?limit=2').expect(200);
    assert.equal(list.body.runs.length, 2);
    assert.ok(list.body.total >= 8);
    const latest = list.body.runs[0] as RunView;
    assert.equal(latest.files[0].fileName, 'd1.csv');
    const one = await request(app.getHttpServer()).get(`/runs/${latest.id}`).expect(200);
    assert.deepEqual(
      Object.keys(one.body.files[0])
        .filter((k) =>
          ['read', 'successful', 'failed', 'rejected', 'duplicates', 'ambiguousDates'].includes(k),
        )
        .sort(),
      ['ambiguousDates', 'duplicates', 'failed', 'read', 'rejected', 'successful'],
    );
    await request(app.getHttpServer()).get('/runs/20990101T000000Z-abcdef').expect(404);
    const bad = await request(app.getHttpServer()).get('/runs/nope').expect(400);
    assert.match(bad.body.message, /id must look like/);
    await request(app.getHttpServer()).get('/runs?limit=0').expect(400);
    const huge = await request(app.getHttpServer())
      .get('/runs?offset=12345678901234567890123456')
      .expect(400);
    assert.match(JSON.stringify(huge.body.message), /offset must not be greater than 2147483647/);
  });

  it('shows paths relative to the data folder, never absolute ones', async () => {
    const { body } = await request(app.getHttpServer()).get('/runs?limit=100').expect(200);
    const text = JSON.stringify(body);
    assert.ok(!text.includes(dir), 'a run record shows an absolute path');
    const withOutput = (body.runs as RunView[]).find((run) => run.successfulOutput)!;
    assert.equal(withOutput.successfulOutput, `successful/applications_${withOutput.id}.csv`);
    assert.equal(withOutput.failedOutput, `failed/applications_${withOutput.id}.csv`);
    assert.match(withOutput.files[0].movedTo!, /^processed\/[^/]+\.csv$/);
  });

  it('serves Prometheus metrics: runs, rows by outcome, durations', async () => {
    const response = await request(app.getHttpServer()).get('/metrics').expect(200);
    assert.match(response.headers['content-type'], /^text\/plain/);
    assert.match(response.text, /^pipeline_runs\{status="completed"\} \d+$/m);
    assert.match(response.text, /^pipeline_rows_total\{outcome="successful"\} [1-9]\d*$/m);
    assert.match(response.text, /^pipeline_run_duration_seconds_count\{status="completed"\} \d+$/m);
  });

  it('answers POST /runs at once with 202 and the running run', async () => {
    const response = await request(app.getHttpServer()).post('/runs').expect(202);
    assert.match(response.body.id, /^\d{8}T\d{6}Z-[0-9a-f]{6}$/);
    for (let i = 0; i < 100; i++) {
      const view = (await request(app.getHttpServer()).get(`/runs/${response.body.id}`))
        .body as RunView;
      if (view.status === 'completed') return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.fail('the run did not complete');
  });

  it('rolls a committed run forward after its process died', async () => {
    // What a crash between the commit and the renames leaves behind.
    const id = '20200101T000000Z-0a0b0c';
    const content = 'name,email,date_of_birth,mobile_no\nEd Yeo,ed@yeo.com,1970-01-01,22223333\n';
    await writeFile(join(dir, 'incoming', 'crashed.csv'), content);
    await writeFile(join(dir, 'successful', `.applications_${id}.csv.tmp`), 'first_name\n');
    await writeFile(join(dir, 'failed', `.applications_${id}.csv.tmp`), 'name\n');
    const sha = createHash('sha256').update(content).digest('hex');
    const data = app.get(DataSource);
    await data.getRepository(Run).insert({ id, trigger: 'cli', status: 'committed' } as Run);
    await data.getRepository(LedgerEntry).insert({
      sha256: sha,
      runId: id,
      fileName: 'crashed.csv',
      outcome: 'processed',
    } as LedgerEntry);
    await data.getRepository(RunFile).insert({
      runId: id,
      fileName: 'crashed.csv',
      sha256: sha,
      sizeBytes: String(content.length),
      outcome: 'processed',
      movedTo: join(dir, 'processed', 'crashed.csv'),
    } as RunFile);
    await app.get(RunRecovery).recover();
    assert.equal((await runs.findRun(id)).status, 'completed');
    assert.ok((await fixture.visible('successful')).includes(`applications_${id}.csv`));
    assert.ok((await fixture.visible('processed')).includes('crashed.csv'));
    assert.deepEqual(await fixture.hidden('successful'), []);
  });
});
