import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { lineChunks } from './line-reader';

describe('lineChunks', () => {
  it('gives every line once, across chunk edges and split multi-byte characters', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pipeline-lines-'));
    try {
      const lines = Array.from({ length: 30_000 }, (_, i) => `${i} é😀 ${'x'.repeat(i % 50)}`);
      const path = join(dir, 'spill.jsonl');
      await writeFile(path, `${lines.join('\n')}\n`);
      const read: string[] = [];
      for await (const chunk of lineChunks(path)) read.push(...chunk);
      assert.deepEqual(read, lines);
      await writeFile(path, 'a\nlast without newline');
      const tail: string[] = [];
      for await (const chunk of lineChunks(path)) tail.push(...chunk);
      assert.deepEqual(tail, ['a', 'last without newline']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
