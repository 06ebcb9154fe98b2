import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { progressLine } from './progress-line';

describe('the CLI progress line', () => {
  const run = (tty: boolean) => {
    let clock = 0;
    const written: string[] = [];
    const line = progressLine((text) => written.push(text), { tty, now: () => clock });
    const step = (ms: number, rows: number, bytes: number) => {
      clock += ms;
      line.update({ rows, bytes, file: 'supplier.tbl' });
    };
    step(1000, 100_000, 14_000_000);
    step(200, 120_000, 17_000_000); // under a second since the last line: not printed
    step(1000, 200_000, 28_000_000);
    line.done();
    return written;
  };

  it('prints rows, MB and MB/s at most once a second, one line each off a terminal', () => {
    assert.deepEqual(run(false), [
      'supplier.tbl: 100,000 rows, 14.0 MB, 14.0 MB/s\n',
      'supplier.tbl: 200,000 rows, 28.0 MB, 12.7 MB/s\n',
    ]);
  });

  it('rewrites one line in place on a terminal and ends it when done', () => {
    const written = run(true);
    assert.equal(written.length, 3);
    assert.equal(written[0], '\rsupplier.tbl: 100,000 rows, 14.0 MB, 14.0 MB/s\x1b[K');
    assert.equal(written[2], '\n');
  });
});
