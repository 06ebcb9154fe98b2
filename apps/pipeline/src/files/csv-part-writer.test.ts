import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { seededRandom } from '@des/shared';
import { csvLine } from './csv-part-writer';

describe('csvLine', () => {
  it('writes what csv-parse reads back, and what csv-stringify writes when no CR is involved', () => {
    const random = seededRandom(7);
    const alphabet = ['a', 'Z', ' ', ',', '"', '\n', '\r', '\t', "'", '=', 'é', '😀', ''];
    const field = () =>
      Array.from(
        { length: Math.floor(random() * 6) },
        () => alphabet[Math.floor(random() * alphabet.length)],
      ).join('');
    for (let i = 0; i < 2000; i++) {
      const row = Array.from({ length: 2 + Math.floor(random() * 7) }, field);
      const line = csvLine(row);
      assert.deepEqual(parse(line), [row], JSON.stringify(row));
      // csv-stringify leaves a lone CR unquoted with LF records; csvLine quotes it (RFC 4180).
      if (!row.some((value) => value.includes('\r'))) {
        assert.equal(line, stringify([row], { record_delimiter: 'unix' }), JSON.stringify(row));
      }
    }
  });

  it('quotes only what needs it', () => {
    assert.equal(
      csvLine(['a b', 'x,y', 'say "hi"', '', 'l1\nl2', 'cr\r']),
      'a b,"x,y","say ""hi""",,"l1\nl2","cr\r"\n',
    );
  });
});
