import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { parse } from 'csv-parse/sync';
import { ApplicationRules } from '../applications/application-rules';
import { RecordChunk } from './csv-tokenizer';
import { EvaluationSummary, FileEvaluator, RowChunk } from './row-evaluator';
import { RowEvaluatorThread } from './row-evaluator-thread';

const SETTINGS = {
  referenceDate: 20220101,
  minAge: 18,
  emailEndings: ['.com', '.net'],
  today: 20261121,
};

/** Records as the run's thread sends them, lines counted from 2 (after the header). */
function records(...rows: string[][]): RecordChunk {
  const fields = rows.flat();
  const fieldBounds = new Uint32Array(fields.length + 1);
  fields.forEach((field, index) => (fieldBounds[index + 1] = fieldBounds[index] + field.length));
  return {
    size: rows.length,
    bytes: Buffer.from(fields.join('')),
    fieldBounds,
    fieldCounts: Uint32Array.from(rows, (row) => row.length),
    lines: Uint32Array.from(rows, (_, index) => index + 2),
    needsQuoting: Uint8Array.from(rows, (row) =>
      row.some((field) => /[",\r\n]/.test(field)) ? 1 : 0,
    ),
  };
}

/** A chunk's rows as [line, ok, parsed output fields], and its ids and their holders. */
function rowsOf(chunk: RowChunk) {
  let successStart = 0;
  let failedStart = 0;
  const rows: Array<[number, boolean, string[]]> = [];
  for (let row = 0; row < chunk.size; row++) {
    const ok = chunk.successful[row] === 1;
    const bytes = Buffer.from(ok ? chunk.successBytes : chunk.failedBytes);
    const text = ok
      ? bytes.toString('utf8', successStart, (successStart = chunk.ends[row]))
      : bytes.toString('utf8', failedStart, (failedStart = chunk.ends[row]));
    rows.push([chunk.lines[row], ok, (parse(text) as string[][])[0]]);
  }
  assert.equal(successStart, chunk.successBytes.length);
  assert.equal(failedStart, chunk.failedBytes.length);
  return { rows, ids: chunk.membershipIds, persons: chunk.persons };
}

const fingerprintOf = (chunk: RowChunk, row: number) =>
  `${chunk.fingerprints[2 * row]}:${chunk.fingerprints[2 * row + 1]}`;

async function finish(evaluator: FileEvaluator) {
  const chunks: RowChunk[] = [];
  const rows = evaluator.finish();
  for (;;) {
    const next = await rows.next();
    if (next.done) return { chunks, summary: next.value };
    chunks.push(next.value);
  }
}

describe('FileEvaluator', () => {
  let dir: string;
  before(async () => (dir = await mkdtemp(join(tmpdir(), 'pipeline-evaluator-'))));
  after(async () => rm(dir, { recursive: true, force: true }));

  const evaluator = (name: string, columns = [0, 1, 2, 3]) =>
    new FileEvaluator(
      { fileName: name, columns, spillPath: join(dir, `${name}.spill`) },
      new ApplicationRules(SETTINGS),
    );

  it('formats successful and failed rows, with ids, holders and equal keys for equal rows', () => {
    const chunk = evaluator('a.csv').evaluate(
      records(
        ['Mrs. Ann Lee', 'ann@lee.net', '1985-12-31', '1234 5678'],
        ['', 'x@y.com', '1990-01-02', '12345678'],
        ['Jo, Ng', 'jo@ng.com', '2000-02-29', '12345678'],
        ['Ann  Lee', 'ANN@lee.net', '1985/12/31', '12345678'],
      ),
    );
    const { rows, ids, persons } = rowsOf(chunk);
    assert.deepEqual(rows[0], [
      2,
      true,
      ['Ann', 'Lee', 'ann@lee.net', '19851231', '12345678', 'true', ids[0]],
    ]);
    assert.deepEqual(rows[1], [
      3,
      false,
      [
        '',
        'x@y.com',
        '1990-01-02',
        '12345678',
        '',
        '',
        '19900102',
        '12345678',
        'true',
        'name: missing',
        'a.csv',
        '3',
      ],
    ]);
    assert.match(ids[0], /^Lee_[0-9a-f]{5}$/);
    assert.deepEqual(persons[0].split('\u001f'), ['Ann', 'Lee', 'ann@lee.net', '19851231']);
    assert.equal(ids.length, 3);
    assert.equal(fingerprintOf(chunk, 0), fingerprintOf(chunk, 3)); // the same application
    assert.notEqual(fingerprintOf(chunk, 0), fingerprintOf(chunk, 2));
  });

  it('ends each output line at its UTF-8 byte, past names beyond ASCII', () => {
    const chunk = evaluator('ü.csv').evaluate(
      records(
        ['Zoë Ångström', 'zoe@a.com', '1985-12-31', '12345678'],
        ['Ann Lee', 'ann@lee.net', '1985-12-31', '12345678'],
        ['José 😀', 'jose@x.org', '1990-01-02', '12345678'],
        ['Bo Ng', 'bo@ng.com', '1990-01-02', '123'],
        ['Ève Ré', 'eve@re.com', '1991-03-04', '87654321'],
      ),
    );
    const { rows } = rowsOf(chunk);
    assert.deepEqual(
      rows.map(([line, ok, fields]) => [line, ok, fields[0], fields[1]]),
      [
        [2, true, 'Zoë', 'Ångström'],
        [3, true, 'Ann', 'Lee'],
        [4, false, 'José 😀', 'jose@x.org'],
        [5, false, 'Bo Ng', 'bo@ng.com'],
        [6, true, 'Ève', 'Ré'],
      ],
    );
    assert.equal(rows[2][2][10], 'ü.csv');
    // Enough rows that the lines are encoded in several pieces, each with text beyond ASCII.
    const many = Array.from({ length: 600 }, (_, i) => [
      i % 3 === 0 ? `Zoë Ng${i}` : `Ann Lee${i}`,
      i % 2 === 0 ? `a${i}@b.com` : `a${i}@b.org`,
      '1985-12-31',
      '12345678',
    ]);
    const manyRows = rowsOf(evaluator('many.csv').evaluate(records(...many))).rows;
    assert.deepEqual(
      manyRows.map(([, ok, fields]) => [ok, ok ? fields[1] : fields[0]]),
      many.map(([name], i) => [i % 2 === 0, i % 2 === 0 ? name.split(' ')[1] : name]),
    );
  });

  it('reads columns in the header order and fails rows with the wrong number of fields', () => {
    const chunk = evaluator('b.csv', [1, 2, 3, 0]).evaluate(
      records(['12345678', 'Jo Ng', 'jo@ng.com', '1990-01-01'], ['Jo Ng', 'jo@ng.com']),
    );
    const { rows } = rowsOf(chunk);
    assert.equal(rows[0][1], true);
    assert.deepEqual(rows[1], [
      3,
      false,
      [
        'jo@ng.com',
        '',
        '',
        'Jo Ng',
        ...['', '', '', '', ''],
        'row: has 2 fields, expected 4',
        'b.csv',
        '3',
      ],
    ]);
  });

  it('gives a short record only its own values, wherever it sits in a chunk', () => {
    const file = [
      ['A B', 'a@x.com', '1990-01-01', '12345678'],
      ['C D', 'c@x.com', '1990-01-01'],
      ['E F', 'e@x.com', '1990-01-01', '12345678', 'extra'],
      ['G H', 'g@x.com', '1990-01-01', '12345678'],
      ['I J', 'i@x.com'],
    ];
    const expected = [
      ['C D', 'c@x.com', '1990-01-01', '', '', 'row: has 3 fields, expected 4'],
      ['E F', 'e@x.com', '1990-01-01', '12345678', '', 'row: has 5 fields, expected 4'],
      ['I J', 'i@x.com', '', '', '', 'row: has 2 fields, expected 4'],
    ];
    // Every split of the file into two chunks (and none): each short record is first, inside
    // and last of a chunk, and the file's last record is short.
    for (let split = 0; split <= file.length; split++) {
      const rules = evaluator(`short${split}.csv`);
      const failed = [file.slice(0, split), file.slice(split)]
        .filter((chunk) => chunk.length)
        .flatMap((chunk) => rowsOf(rules.evaluate(records(...chunk))).rows)
        .filter(([, ok]) => !ok)
        .map(([, , fields]) => [...fields.slice(0, 4), ...fields.slice(8, 10)]);
      assert.deepEqual(failed, expected, `split before record ${split}`);
    }
  });

  it('holds ambiguous rows until the end, then reads them by the whole file', async () => {
    const file = evaluator('c.csv');
    const first = file.evaluate(
      records(
        ['A One', 'a@x.com', '03/04/1990', '12345678'],
        ['B Two', 'b@x.com', '03-04-1990', '1'],
      ),
    );
    assert.equal(first.size, 0);
    const second = file.evaluate(records(['C Three', 'c@x.com', '25/12/1980', '12345678']));
    assert.equal(second.size, 1);
    const { chunks, summary } = await finish(file);
    const rows = chunks.flatMap((chunk) => rowsOf(chunk).rows);
    assert.deepEqual(rows[0], [
      2,
      true,
      ['A', 'One', 'a@x.com', '19900403', '12345678', 'true', rowsOf(chunks[0]).ids[0]],
    ]); // slash evidence says day first
    // No dash evidence: read by the default; the row fails on its mobile number alone.
    assert.deepEqual(rows[1], [
      3,
      false,
      [
        'B Two',
        'b@x.com',
        '03-04-1990',
        '1',
        'B',
        'Two',
        '19900403',
        '',
        'true',
        'mobile_no: must be 8 digits (has 1)',
        'c.csv',
        '3',
      ],
    ]);
    assert.deepEqual(
      [summary.ambiguousDates, summary.dateOrders['/'].basis, summary.dateOrders['-'].basis],
      [2, 'evidence', 'default'],
    );
    assert.equal(existsSync(join(dir, 'c.csv.spill')), false);
  });

  it('removes its spill file when discarded', () => {
    const file = evaluator('d.csv');
    const many = Array.from({ length: 2000 }, (_, i) => [
      `P ${i}`,
      `p${i}@x.com`,
      '03/04/1990',
      '12345678',
    ]);
    file.evaluate(records(...many)); // over 64 KB of waiting rows: written to the spill file
    assert.equal(existsSync(join(dir, 'd.csv.spill')), true);
    file.discard();
    assert.equal(existsSync(join(dir, 'd.csv.spill')), false);
  });
});

describe('RowEvaluatorThread', () => {
  let dir: string;
  const thread = new RowEvaluatorThread(SETTINGS);
  before(async () => (dir = await mkdtemp(join(tmpdir(), 'pipeline-thread-'))));
  after(async () => {
    await thread.close();
    await rm(dir, { recursive: true, force: true });
  });

  const file = (name: string) => ({
    fileName: name,
    columns: [0, 1, 2, 3],
    spillPath: join(dir, `${name}.spill`),
  });
  const row = ['Jo Ng', 'jo@ng.com', '1990-01-01', '12345678'];

  async function readWhole(name: string) {
    thread.startFile(file(name));
    thread.evaluate(records(row, row));
    thread.endFile();
    const rows = (await thread.next()) as RowChunk;
    const summary = (await thread.next()) as EvaluationSummary;
    return { rows, summary };
  }

  it('answers each records chunk with its rows, then the file end with its summary', async () => {
    const { rows, summary } = await readWhole('one.csv');
    assert.equal(rows.size, 2);
    assert.equal(thread.pending, 0);
    assert.equal(summary.ambiguousDates, 0);
  });

  it('starts afresh after a file left half way', async () => {
    thread.startFile(file('left.csv'));
    thread.evaluate(records(row));
    thread.evaluate(records(row));
    assert.equal(thread.pending, 2);
    thread.abandon();
    const { rows } = await readWhole('next.csv');
    assert.equal(rows.size, 2);
    assert.equal(rowsOf(rows).rows[0][2][0], 'Jo');
  });

  it('reports a thread that stops half way through a file, and starts a new one', async () => {
    thread.startFile(file('dying.csv'));
    // As when the thread runs out of memory: it stops without an answer.
    await (thread as unknown as { worker: Worker }).worker.terminate();
    await assert.rejects(thread.next(), /the rules thread stopped unexpectedly/);
    const { rows } = await readWhole('after-stop.csv');
    assert.equal(rows.size, 2);
  });

  it('reports an error in the thread and starts afresh for the next file', async () => {
    await readWhole('before-error.csv');
    // Records after the file's end, for no file: the thread fails on them.
    thread.evaluate(records(row));
    await assert.rejects(thread.next(), TypeError);
    const { rows } = await readWhole('after-error.csv');
    assert.equal(rows.size, 2);
  });
});
