import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { mkdir, open, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { INestApplication } from '@nestjs/common';
import { generateBatches } from '../generator/batch-generator';
import { HEADER, PipelineFixture } from '../testing/pipeline-fixture';
import { RunsService } from './runs.service';

/** `count` distinct, successful rows, numbered from `from`. */
function people(from: number, count: number): string {
  let text = '';
  for (let i = from; i < from + count; i++)
    text += `Ann Tan${i},ann${i}@tan.com,1990-01-01,12345678\n`;
  return text;
}

/** The holes a real audit found (issue 16), each reproduced against a real run. */
describe('pipeline audit holes', () => {
  let fixture: PipelineFixture;
  let app: INestApplication;
  let dir: string;
  let runs: RunsService;

  before(async () => {
    fixture = await PipelineFixture.create('pipeline_audit');
    dir = fixture.dir;
    app = await fixture.start({ PIPELINE_QUIET_SECONDS: '2' });
    runs = app.get(RunsService);
  });

  after(() => fixture?.dispose());

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

  it('2a. holds back a file whose producer stalled half way through a row', async () => {
    const path = join(dir, 'incoming', 'stalled.csv');
    const writer = await open(path, 'w');
    await writer.write(HEADER + people(0, 1000) + 'Half Wa');
    const first = await runs.run('cli');
    assert.deepEqual(first.files, []);
    assert.deepEqual(first.summary?.notTaken, [
      {
        name: 'stalled.csv',
        reason: 'incomplete: its last line has no line ending; left for the next run',
      },
    ]);
    await writer.write(`y,half@way.com,1990-01-01,12345678\n${people(1000, 998)}`);
    await writer.close();
    const second = await runs.run('cli');
    assert.deepEqual(
      second.files.map((file) => [file.fileName, file.outcome, file.read, file.successful]),
      [['stalled.csv', 'processed', 1999, 1999]],
    );
  });

  it('2b. reads a file whose producer pauses between rows only once it is whole', async () => {
    const path = join(dir, 'incoming', 'paused.csv');
    const writer = await open(path, 'w');
    await writer.write(HEADER + people(5000, 500));
    const running = runs.run('cli');
    // Shorter than the quiet period, longer than a run of 500 rows takes.
    await new Promise((resolve) => setTimeout(resolve, 800));
    await writer.write(people(5500, 500));
    await writer.close();
    const views = [await running];
    while ((await fixture.visible('incoming')).includes('paused.csv'))
      views.push(await runs.run('cli'));
    const taken = views.flatMap((view) => view.files.filter((f) => f.fileName === 'paused.csv'));
    assert.deepEqual(
      taken.map((file) => [file.outcome, file.read]),
      [['processed', 1000]],
    );
  });

  it('6. reads .csv.gz and lists every entry it did not take, with why', async () => {
    const incoming = join(dir, 'incoming');
    await mkdir(join(incoming, 'sub'));
    await writeFile(join(incoming, 'notes.txt'), 'not a batch\n');
    await writeFile(join(incoming, 'README'), 'not a batch\n');
    await writeFile(join(incoming, '.arriving.csv'), HEADER);
    await writeFile(join(incoming, 'zipped.csv.gz'), gzipSync(HEADER + people(9000, 3)));
    const view = await runs.run('cli');
    assert.deepEqual(
      view.files.map((file) => [file.fileName, file.outcome, file.read, file.successful]),
      [['zipped.csv.gz', 'processed', 3, 3]],
    );
    assert.equal((await fixture.readCsv(view.successfulOutput!))[0].email, 'ann9000@tan.com');
    assert.deepEqual(view.summary?.notTaken, [
      { name: '.arriving.csv', reason: 'hidden: a producer is still writing it' },
      { name: 'notes.txt', reason: 'not a CSV batch: only *.csv and *.csv.gz are read' },
      { name: 'README', reason: 'not a CSV batch: only *.csv and *.csv.gz are read' },
      { name: 'sub', reason: 'a folder: only files directly in the incoming folder are read' },
    ]);
  });

  it('3. emits an application once, whether re-sent with CRLF or in a cumulative file', async () => {
    const monday = [
      'Ann Chua,ann@chua.com,1990-01-01,12345678',
      'Bo Chua,bo@chua.com,1991-02-03,87654321',
      'Cy Chua,cy@chua.com,1990-01-01,1234',
    ];
    await writeFile(join(dir, 'incoming', 'monday.csv'), HEADER + monday.join('\n') + '\n');
    const first = await runs.run('cli');
    assert.deepEqual([first.successful, first.failed, first.alreadyEmitted], [2, 1, 0]);

    const crlf = (HEADER + monday.join('\n') + '\n').replace(/\n/g, '\r\n');
    await writeFile(join(dir, 'incoming', 'monday-again.csv'), crlf);
    const resent = await runs.run('cli');
    assert.deepEqual(
      resent.files.map((f) => [f.fileName, f.successful, f.failed, f.alreadyEmitted]),
      [['monday-again.csv', 0, 1, 2]],
    );
    assert.equal((await fixture.readCsv(resent.successfulOutput!)).length, 0);

    const tuesday = [...monday, 'Di Chua,di@chua.com,1992-03-04,11112222'];
    await writeFile(join(dir, 'incoming', 'tuesday.csv'), HEADER + tuesday.join('\n') + '\n');
    const cumulative = await runs.run('cli');
    assert.deepEqual(
      [cumulative.successful, cumulative.alreadyEmitted, cumulative.duplicates],
      [1, 2, 0],
    );
    assert.deepEqual(
      (await fixture.readCsv(cumulative.successfulOutput!)).map((row) => row.email),
      ['di@chua.com'],
    );
  });

  it('5, 7. keeps the email as written, gives failed rows their cleaned fields, counts reasons', async () => {
    await writeFile(
      join(dir, 'incoming', 'formats.csv'),
      HEADER +
        'Ann Lim,Ann.Lim@Example.COM,1990-01-01,12345678\n' +
        '"Lee, Mary Ann",mary@lee.com,1990-01-01,1234 5678\n' +
        'Bo Lim,bo@lim.com,2010-05-06,1234\n',
    );
    const view = await runs.run('cli');
    assert.deepEqual(
      (await fixture.readCsv(view.successfulOutput!)).map((row) => [
        row.first_name,
        row.last_name,
        row.email,
      ]),
      [
        ['Ann', 'Lim', 'Ann.Lim@Example.COM'],
        ['Mary Ann', 'Lee', 'mary@lee.com'],
      ],
    );
    assert.deepEqual(view.failureReasons, { mobile_no: 1, under_age: 1 });
    assert.deepEqual(view.files[0].failureReasons, { mobile_no: 1, under_age: 1 });
    const [failed] = await fixture.readCsv(view.failedOutput!);
    assert.deepEqual(failed, {
      name: 'Bo Lim',
      email: 'bo@lim.com',
      date_of_birth: '2010-05-06',
      mobile_no: '1234',
      first_name: 'Bo',
      last_name: 'Lim',
      clean_date_of_birth: '20100506',
      clean_mobile_no: '',
      above_18: 'false',
      failure_reasons: 'mobile_no: must be 8 digits (has 4); date_of_birth: under 18 on 2022-01-01',
      source_file: 'formats.csv',
      line: '4',
    });
  });
});
