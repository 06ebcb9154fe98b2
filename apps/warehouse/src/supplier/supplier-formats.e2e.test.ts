import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { ParquetFileWriter } from '../parquet';
import { WarehouseFixture } from '../testing/warehouse-fixture';
import { generateSupplierFiles, GenerateOptions } from './generator/supplier-files';

/** Every night's rows as text, by load, for exact comparison across formats. */
async function snapshot(fixture: WarehouseFixture, loadId: number): Promise<string[]> {
  const rows = await fixture.query<{ line: string }>(
    `SELECT concat_ws('|', s_suppkey, s_name, s_address, s_nationkey, s_phone, s_acctbal, s_comment) AS line
     FROM warehouse.supplier_data WHERE load_id = $1 ORDER BY s_suppkey`,
    [loadId],
  );
  return rows.map((row) => row.line);
}

describe('the supplier load reads every format to the same rows', () => {
  const fixture = new WarehouseFixture();
  before(() => fixture.start());
  after(() => fixture.stop());

  const nights: Array<[string, Omit<GenerateOptions, 'scale' | 'out'>]> = [
    ['20260101', { format: 'tbl', trailingPipe: true }],
    ['20260102', { format: 'tbl.gz', parts: 3 }],
    ['20260103', { format: 'parquet', parts: 2, codec: 'snappy' }],
    ['20260104', { format: 'parquet', codec: 'zstd' }],
    ['20260105', { format: 'parquet', parts: 3, codec: 'gzip' }],
  ];

  it('loads .tbl, .tbl.gz and snappy/zstd/gzip Parquet nights of the same data identically', async () => {
    const snapshots: string[][] = [];
    for (const [night, options] of nights) {
      await generateSupplierFiles({
        scale: 0.2,
        out: join(fixture.sourceDir, 'supplier', night),
        seed: 42,
        ...options,
      });
      const response = await request(fixture.app.getHttpServer())
        .post(`/loads/supplier?night=${night}`)
        .expect(201);
      assert.equal(response.body.outcome, 'loaded', JSON.stringify(response.body));
      assert.equal(response.body.rowsLoaded, 2000);
      snapshots.push(await snapshot(fixture, response.body.id));
    }
    for (const other of snapshots.slice(1)) assert.deepEqual(other, snapshots[0]);
  });

  it('refuses a Parquet part with a missing column, naming file and column', async () => {
    const folder = join(fixture.sourceDir, 'supplier', '20260110');
    await generateSupplierFiles({ scale: 0.01, out: folder, format: 'parquet' });
    const writer = await ParquetFileWriter.create(join(folder, 'supplier.2.parquet'), [
      { name: 's_suppkey', kind: 'int32' },
      { name: 's_name', kind: 'string' },
    ]);
    writer.writeRow([101, 'Supplier#000000101']);
    await writer.close();
    const response = await request(fixture.app.getHttpServer())
      .post('/loads/supplier?night=20260110')
      .expect(422);
    assert.match(response.body.message, /^supplier\.2\.parquet, column "?s_address"?: /);
  });

  it('refuses a file that is not Parquet', async () => {
    await fixture.night('20260111', { 'supplier.parquet': '1|Supplier#000000001|...' });
    const response = await request(fixture.app.getHttpServer())
      .post('/loads/supplier?night=20260111')
      .expect(422);
    assert.match(response.body.message, /^supplier\.parquet: .*Parquet/);
  });
});
