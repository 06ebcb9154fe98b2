import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { FileOutcome, headerProblem, processBatchFile } from './batch-processor';
import { RowEvaluatorThread } from './row-evaluator-thread';
import { IssuedIdSink, RunDuplicateDetector } from '../duplicates/run-duplicate-detector';

const RULE_SETTINGS = {
  referenceDate: 20220101,
  minAge: 18,
  emailEndings: ['.com', '.net'],
  today: 20261121,
};

/** The ids the registry sends, counted (the real sink is a PostgreSQL table, see the e2e tests). */
const ids: IssuedIdSink = {
  add: () => undefined,
  discardFile: () => undefined,
  congested: false,
  drained: async () => undefined,
};

describe('processBatchFile', () => {
  let dir: string;
  let counter = 0;
  // One rules thread for every file, as in a run: a rejected file must not disturb the next.
  const evaluator = new RowEvaluatorThread(RULE_SETTINGS);
  before(async () => (dir = await mkdtemp(join(tmpdir(), 'pipeline-batch-'))));
  after(async () => {
    await evaluator.close();
    await rm(dir, { recursive: true, force: true });
  });

  const newRegistry = () => new RunDuplicateDetector(ids, dir);

  async function run(content: string | Buffer, registry = newRegistry()) {
    const name = `batch${++counter}.csv`;
    const path = join(dir, name);
    await writeFile(path, content);
    const fileIndex = registry.addFile(name);
    const outcome = await processBatchFile({
      path,
      fileName: name,
      fileIndex,
      successPart: join(dir, `${name}.ok`),
      failedPart: join(dir, `${name}.failed`),
      spillPath: join(dir, `${name}.spill`),
      evaluator,
      registry,
      ids,
    });
    const read = async (part: string) =>
      parse(await readFile(join(dir, `${name}.${part}`)), { columns: true }) as Array<
        Record<string, string>
      >;
    return { outcome, registry, read, name };
  }

  const accepted = (outcome: FileOutcome) => {
    assert.equal(outcome.kind, 'accepted', outcome.kind === 'rejected' ? outcome.reason : '');
    return outcome.kind === 'accepted' ? outcome.counts : assert.fail();
  };

  it('reads CRLF, a BOM and quoted fields, and writes both parts', async () => {
    const content =
      '\ufeffname,email,date_of_birth,mobile_no\r\n' +
      '"John Smith, Jr.",a@b.com,1990-01-02,12345678\r\n' +
      '"Mrs. Ann Lee",ann@lee.net,1985/12/31,"1234 5678"\r\n' +
      ',nobody@x.com,1990-01-02,12345678\r\n';
    const { outcome, read } = await run(content);
    const counts = accepted(outcome);
    assert.deepEqual([counts.read, counts.successful, counts.failed], [3, 2, 1]);
    const ok = await read('ok');
    assert.deepEqual(
      ok.map((r) => [r.first_name, r.last_name]),
      [
        ['John', 'Smith'],
        ['Ann', 'Lee'],
      ],
    );
    const failed = await read('failed');
    assert.equal(failed[0].failure_reasons, 'name: missing');
    assert.equal(failed[0].line, '4');
  });

  it('accepts the columns in any order', async () => {
    const { outcome, read } = await run(
      'mobile_no,Name,EMAIL,date_of_birth\n12345678,Jo Ng,jo@ng.com,2000-02-29\n',
    );
    assert.equal(accepted(outcome).successful, 1);
    assert.equal((await read('ok'))[0].date_of_birth, '20000229');
  });

  it('reads ambiguous dates by the evidence of the whole file, even when it comes last', async () => {
    const content =
      'name,email,date_of_birth,mobile_no\n' +
      'A One,a@x.com,03/04/1990,12345678\n' + // ambiguous
      'B Two,b@x.com,03-04-1990,12345678\n' + // ambiguous, no dash evidence: default day first
      'C Three,c@x.com,25/12/1980,12345678\n'; // slash evidence: day first
    const { outcome, read } = await run(content);
    const counts = accepted(outcome);
    assert.equal(counts.ambiguousDates, 2);
    assert.equal(counts.dateOrders['/'].order, 'day-first');
    assert.equal(counts.dateOrders['-'].basis, 'default');
    const byName = Object.fromEntries(
      (await read('ok')).map((r) => [r.last_name, r.date_of_birth]),
    );
    assert.deepEqual(byName, { One: '19900403', Two: '19900403', Three: '19801225' });
  });

  it('fails ambiguous dates when the file contradicts itself', async () => {
    const content =
      'name,email,date_of_birth,mobile_no\n' +
      'A One,a@x.com,03/04/1990,12345678\n' +
      'C Three,c@x.com,25/12/1980,12345678\n' +
      'D Four,d@x.com,12/25/1980,12345678\n';
    const { outcome, read } = await run(content);
    assert.equal(accepted(outcome).failed, 1);
    assert.match((await read('failed'))[0].failure_reasons, /ambiguous date/);
  });

  it('keeps duplicated rows once and counts the rest', async () => {
    const row = 'Jo Ng,jo@ng.com,1990-01-01,12345678\n';
    const { outcome, read } = await run(
      `name,email,date_of_birth,mobile_no\n${row}${row}Jo  Ng,JO@ng.com,1990/01/01,1234 5678\n`,
    );
    const counts = accepted(outcome);
    assert.deepEqual([counts.read, counts.successful, counts.duplicates], [3, 1, 2]);
    assert.equal((await read('ok')).length, 1);
  });

  it('fails rows with the wrong number of fields without applying rules', async () => {
    const { outcome, read } = await run(
      'name,email,date_of_birth,mobile_no\nJo Ng,jo@ng.com,1990-01-01\n',
    );
    assert.equal(accepted(outcome).failed, 1);
    assert.equal((await read('failed'))[0].failure_reasons, 'row: has 3 fields, expected 4');
  });

  it('takes the date order 99% of a file agrees on and fails the rows contradicting it', async () => {
    const monthFirst = Array.from(
      { length: 300 },
      (_, i) => `M${i} Lee,m${i}@lee.com,12/${13 + (i % 15)}/1980,12345678\n`,
    ).join('');
    const contradicting = 'Di Lee,di@lee.com,25/12/1990,12345678\n';
    const ambiguous = 'Am Lee,am@lee.com,03/04/1990,12345678\n';
    // The contradicting row after the majority, and before it (it leads at first, so its rows
    // went out before the evidence turned: the file is read again).
    for (const content of [
      `${monthFirst}${contradicting}${ambiguous}`,
      `${contradicting}${contradicting.replace('Di', 'Ed').replace('di@', 'ed@')}${ambiguous}${monthFirst}`,
    ]) {
      const { outcome, read } = await run(`name,email,date_of_birth,mobile_no\n${content}`);
      const counts = accepted(outcome);
      const failed = await read('failed');
      assert.deepEqual(
        failed.map((row) => row.failure_reasons),
        failed.map(
          () =>
            `date_of_birth: contradicts the file's date order: "25/12/1990" is only valid day-first, but 300 of ${300 + failed.length} "/" dates are month-first`,
        ),
      );
      assert.equal(counts.successful, 301);
      assert.equal(
        (await read('ok')).find((row) => row.email === 'am@lee.com')?.date_of_birth,
        '19900304',
      );
      assert.deepEqual(counts.dateOrders['/'], {
        order: 'month-first',
        basis: 'evidence',
        monthFirstEvidence: 300,
        dayFirstEvidence: failed.length,
        contradicting: failed.length,
        ambiguous: 1,
      });
    }
  });

  it('rejects a wrong header and an empty file before writing anything', async () => {
    for (const content of [
      'name,email,dob,mobile_no\nx,y,z,w\n',
      'name,email,date_of_birth\n',
      'name,email,date_of_birth,mobile_no,extra\n',
      '',
    ]) {
      const { outcome } = await run(content);
      assert.equal(outcome.kind, 'rejected', content);
    }
  });

  it('rejects a file whose CSV breaks half way and forgets its rows', async () => {
    const registry = newRegistry();
    const good = 'Jo Ng,jo@ng.com,1990-01-01,12345678\n';
    const { outcome } = await run(
      `name,email,date_of_birth,mobile_no\n${good}"unclosed,a@b.com,1990-01-01,12345678\n`,
      registry,
    );
    assert.equal(outcome.kind, 'rejected');
    assert.match(outcome.kind === 'rejected' ? outcome.reason : '', /unreadable CSV/);
    const second = await run(`name,email,date_of_birth,mobile_no\n${good}`, registry);
    assert.equal(accepted(second.outcome).successful, 1); // not taken for a duplicate
  });
});

describe('headerProblem', () => {
  it('names what is missing and what is unexpected', () => {
    assert.equal(headerProblem(['name', 'email', 'date_of_birth', 'mobile_no']), undefined);
    assert.match(
      headerProblem(['name', 'email', 'birthday', 'mobile_no'])!,
      /missing date_of_birth; unexpected "birthday"/,
    );
    assert.match(
      headerProblem(['name', 'name', 'email', 'date_of_birth', 'mobile_no'])!,
      /unexpected "name"/,
    );
  });
});
