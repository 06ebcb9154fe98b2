import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { ParquetFileReader } from '../../parquet';
import { generateSupplierFiles, SUPPLIER_PARQUET_COLUMNS } from './supplier-files';

describe('supplier files', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'supplier-files-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const lines = (text: string) => text.split('\n').filter(Boolean);

  it('splits the same rows over parts named as dbgen names them, with or without trailing pipes', async () => {
    await generateSupplierFiles({ scale: 0.1, out: join(dir, 'one'), trailingPipe: true });
    await generateSupplierFiles({
      scale: 0.1,
      out: join(dir, 'three'),
      parts: 3,
      format: 'tbl.gz',
    });
    assert.deepEqual(await readdir(join(dir, 'one')), ['supplier.tbl']);
    assert.deepEqual(await readdir(join(dir, 'three')), [
      'supplier.tbl.1.gz',
      'supplier.tbl.2.gz',
      'supplier.tbl.3.gz',
    ]);
    const whole = lines(await readFile(join(dir, 'one', 'supplier.tbl'), 'utf8'));
    const parts: string[] = [];
    for (const part of [1, 2, 3]) {
      const gz = await readFile(join(dir, 'three', `supplier.tbl.${part}.gz`));
      parts.push(...lines(gunzipSync(gz).toString('utf8')));
    }
    assert.equal(whole.length, 1000);
    assert.ok(whole.every((line) => line.endsWith('|') && line.split('|').length === 8));
    assert.deepEqual(
      parts,
      whole.map((line) => line.slice(0, -1)),
    );
  });

  it('writes Parquet parts with the supplier columns and the same values', async () => {
    await generateSupplierFiles({
      scale: 0.1,
      out: join(dir, 'parquet'),
      format: 'parquet',
      parts: 2,
      codec: 'zstd',
    });
    const text = lines(await readFile(join(dir, 'one', 'supplier.tbl'), 'utf8'));
    const values: string[] = [];
    for (const name of ['supplier.1.parquet', 'supplier.2.parquet']) {
      const reader = await ParquetFileReader.open(
        join(dir, 'parquet', name),
        SUPPLIER_PARQUET_COLUMNS.map((column) => ({ name: column.name, kinds: [column.kind] })),
      );
      assert.deepEqual(reader.codecs, ['ZSTD']);
      for await (const group of reader.rowGroups()) {
        for (let row = 0; row < group.rowCount; row++) {
          values.push(`${group.columns.map((column) => String(column[row])).join('|')}|`);
        }
      }
      await reader.close();
    }
    assert.deepEqual(values, text);
  });
});
