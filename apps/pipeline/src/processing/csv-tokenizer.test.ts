import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { chunkRecords, CsvFormatError, CsvTokenizer } from './csv-tokenizer';

type Read = { records: Array<[number, ...string[]]> } | { error: string; line: number };

/** What the tokenizer reads from `text` fed in pieces of at most `piece` bytes. */
function tokenize(text: string | Buffer, piece = Infinity): Read {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const tokenizer = new CsvTokenizer(64);
  const records: Array<[number, ...string[]]> = [];
  const add = (chunk: ReturnType<CsvTokenizer['push']>) => {
    if (!chunk) return;
    chunkRecords(chunk).forEach((record, r) => records.push([chunk.lines[r], ...record]));
  };
  try {
    let headerSeen = false;
    for (let at = 0; at < bytes.length; at += piece) {
      add(tokenizer.push(bytes.subarray(at, Math.min(at + piece, bytes.length))));
      if (!headerSeen && tokenizer.header) {
        headerSeen = true;
        // The header comes first, line numbers aside (the run does not use its line).
        records.unshift([0, ...tokenizer.header]);
      }
    }
    add(tokenizer.end());
    if (!headerSeen && tokenizer.header) records.unshift([0, ...tokenizer.header]);
  } catch (error) {
    if (!(error instanceof CsvFormatError)) throw error;
    return { error: error.message, line: error.line };
  }
  return { records };
}

/** What csv-parse reads, with the options the run used it with. */
function csvParse(text: string | Buffer): Read {
  try {
    const records = parse(text, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: 64,
      on_record: (record: string[], context) => [String(context.lines), ...record],
    }).map(([line, ...fields]) => [Number(line), ...fields] as [number, ...string[]]);
    if (records.length) records[0][0] = 0;
    return { records };
  } catch (error) {
    const message = (error as Error).message;
    return { error: message, line: Number(/at line (\d+)/.exec(message)?.[1]) };
  }
}

/** A deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['a', 'b', 'é', '😀', ' ', ',', '"', '""', '\n', '\r', '\r\n', 'x y'];

/** Well-formed CSV most of the time, with the odd stray quote, break or BOM. */
function randomCsv(next: () => number): string {
  const pick = <T>(values: readonly T[]) => values[Math.floor(next() * values.length)];
  const end = pick(['\n', '\r\n', '\r']);
  let text = next() < 0.3 ? '\ufeff' : '';
  const records = Math.floor(next() * 6);
  for (let r = 0; r < records; r++) {
    if (next() < 0.1) text += end; // an empty line
    const fields = 1 + Math.floor(next() * 4);
    const values: string[] = [];
    for (let f = 0; f < fields; f++) {
      let value = '';
      for (let n = Math.floor(next() * 5); n > 0; n--) value += pick(PIECES);
      const quote = next() < 0.5 || /[",\r\n]/.test(value);
      values.push(quote && next() < 0.95 ? `"${value.replace(/"/g, '""')}"` : value);
    }
    text += values.join(',');
    if (r < records - 1 || next() < 0.7) text += next() < 0.05 ? pick(PIECES) + end : end;
  }
  return text;
}

describe('CsvTokenizer', () => {
  it('reads what csv-parse reads, fed in any pieces: records, fields, lines and errors', () => {
    const next = random(25);
    let compared = 0;
    let errors = 0;
    for (let round = 0; round < 1500; round++) {
      const text = randomCsv(next);
      const expected = csvParse(text);
      for (const piece of [1, 2, 3, 7, Infinity]) {
        const actual = tokenize(text, piece);
        const label = `${JSON.stringify(text)} in pieces of ${piece}`;
        if ('error' in expected) {
          assert.ok('error' in actual, `${label}: csv-parse fails (${expected.error})`);
          assert.equal(actual.line, expected.line, label);
          errors += 1;
        } else {
          assert.deepEqual(actual, expected, label);
        }
        compared += 1;
      }
    }
    // Both kinds of input were met often.
    assert.ok(errors > 250 && compared - errors > 2500, `${errors} errors of ${compared}`);
  });

  it('skips a BOM, reads quoted commas, quotes and line breaks, CRLF and a last line without an end', () => {
    const text = '\ufeffname,email\r\n"Smith, Jo","a ""b"" c"\r\n\r\n"two\r\nlines",\r\nlast,"é😀"';
    assert.deepEqual(tokenize(text, 5), {
      records: [
        [0, 'name', 'email'],
        [2, 'Smith, Jo', 'a "b" c'],
        [6, 'two\r\nlines', ''],
        [7, 'last', 'é😀'],
      ],
    });
  });

  it('counts non-ASCII text in UTF-16 units, split across pieces at any byte', () => {
    const text = 'h\nñé,😀x,"a😀,b"\nü,z\n';
    for (let piece = 1; piece <= 4; piece++) {
      assert.deepEqual(tokenize(text, piece), {
        records: [
          [0, 'h'],
          [2, 'ñé', '😀x', 'a😀,b'],
          [3, 'ü', 'z'],
        ],
      });
    }
  });

  it('names the line of an unclosed quote, a stray quote and a record over the size limit', () => {
    const unclosed = 'a,b\n1,2\n"open,x\ny\n';
    assert.deepEqual(tokenize(unclosed), {
      error: 'Quote Not Closed: the parsing is finished with an opening quote at line 4',
      line: 4,
    });
    for (const text of [unclosed, 'a,b\n1,x"y\n', 'a,b\n"1"x,2\n', `a\n${'x'.repeat(100)}\n`]) {
      assert.deepEqual(tokenize(text, 3), csvParse(text), text);
    }
  });

  it('flags the records that hold a quote, comma or line break (they must be quoted when written)', () => {
    const tokenizer = new CsvTokenizer();
    const chunk = tokenizer.push(
      Buffer.from(
        'h\r\n"plain","é"\r\nplain,too\r\n"a,b",c\r\n"say ""hi""",x\r\n"two\nlines",y\r\nlone\nbreak,z\r\n',
      ),
    )!;
    assert.deepEqual([...chunk.needsQuoting], [0, 0, 1, 1, 1, 1]);
  });

  it('gives a header only file no records and an empty input no header', () => {
    const headerOnly = new CsvTokenizer();
    assert.equal(headerOnly.push(Buffer.from('a,b\r\n')), undefined);
    assert.equal(headerOnly.end(), undefined);
    assert.deepEqual(headerOnly.header, ['a', 'b']);
    const empty = new CsvTokenizer();
    assert.equal(empty.end(), undefined);
    assert.equal(empty.header, undefined);
  });
});
