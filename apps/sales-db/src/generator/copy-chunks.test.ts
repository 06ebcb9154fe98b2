import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CopyChunks } from './copy-chunks';

describe('CopyChunks', () => {
  it('joins rows into ~64 KB buffers without splitting a row, and loses none', () => {
    const chunks = new CopyChunks();
    const rows = Array.from({ length: 20_000 }, (_, i) => `${i}\tItem ${i} ✓\t${i % 7}.50\n`);
    const streamed: Buffer[] = [];
    for (const row of rows) {
      chunks.add(row);
      streamed.push(...chunks.take());
    }
    assert.ok(streamed.length > 1, 'full chunks are handed over while rows are still added');
    const all = [...streamed, ...chunks.finish()];
    assert.equal(chunks.rows, rows.length);
    assert.equal(Buffer.concat(all).toString('utf8'), rows.join(''));
    for (const chunk of all) {
      const text = chunk.toString('utf8');
      assert.ok(text.length < 65_536 + 40, `a chunk of ${text.length} characters`);
      assert.equal(text.endsWith('\n'), true);
    }
    assert.deepEqual(chunks.finish(), []);
  });
});
