import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateBatches } from './batch-generator';

describe('generateBatches', () => {
  let dir: string;
  before(async () => (dir = await mkdtemp(join(tmpdir(), 'pipeline-gen-'))));
  after(async () => rm(dir, { recursive: true, force: true }));

  it('writes every messy shape the issue lists', async () => {
    const files = await generateBatches({ dir, files: 3, rows: 3000, seed: 7 });
    assert.equal(files.length, 3);
    const buffers = await Promise.all(files.map((file) => readFile(file)));
    const text = buffers.map((buffer) => buffer.toString('utf8')).join('\n');
    assert.ok(
      buffers.some((b) => b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf),
      'a UTF-8 BOM',
    );
    assert.ok(
      buffers.some((b) => b.includes('\r\n')),
      'CRLF',
    );
    assert.ok(
      buffers.some((b) => !b.includes('\r\n')),
      'LF',
    );
    assert.ok(text.includes('"'), 'quoted fields');
    for (const title of ['Mr. ', 'Mrs. ', 'Ms. ', 'Miss ', 'Dr. '])
      assert.ok(text.includes(title), title);
    for (const suffix of ['Jr.', 'Sr.', ' II', ' III', ' IV', ' MD', ' PhD', ' DDS', ' DVM'])
      assert.ok(text.includes(suffix), suffix);
    assert.match(
      text,
      /(Mr|Mrs|Ms|Dr)\.? [^,\n]+ (Jr\.|Sr\.|II|III|IV|MD|PhD|DDS|DVM)/,
      'title and suffix together',
    );
    assert.match(text, /\d{4}-\d{2}-\d{2}/);
    assert.match(text, /\d{4}\/\d{2}\/\d{2}/);
    assert.match(text, /\b(0\d|1[0-2])\/(0\d|1[0-2])\/\d{4}/, 'ambiguous slash dates');
    assert.match(text, /\b(0\d|1[0-2])-(0\d|1[0-2])-\d{4}/, 'ambiguous dash dates');
    assert.ok(text.includes('1996/02/31'), 'impossible date');
    assert.match(text, /,\d{4} \d{4}/, 'mobile as two groups');
    assert.match(text, /,\d{5},|,\d{5}"?\r?\n/, 'short mobile');
    assert.match(text, /\n"?"?,/, 'row without a name');
    for (const tld of ['.com', '.net', '.org', '.info', '.biz']) assert.ok(text.includes(tld), tld);
    const lines = text.split(/\r?\n/).filter(Boolean);
    assert.ok(new Set(lines).size < lines.length, 'duplicated rows');
  });
});
