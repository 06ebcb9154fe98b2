import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { DBGEN_SUPPLIER_LINES, WarehouseFixture } from '../testing/warehouse-fixture';

const tbl = (lines: string[]) => lines.map((line) => `${line}\n`).join('');

describe('POST /loads/supplier', () => {
  const fixture = new WarehouseFixture();
  before(() => fixture.start());
  after(() => fixture.stop());

  it('loads a dbgen night (trailing pipes, two parts, one gzipped) exactly as written', async () => {
    await fixture.night('20261201', {
      'supplier.tbl.1': tbl(DBGEN_SUPPLIER_LINES.slice(0, 3)),
      'supplier.tbl.2.gz': gzipSync(tbl(DBGEN_SUPPLIER_LINES.slice(3))),
    });
    const response = await request(fixture.app.getHttpServer())
      .post('/loads/supplier?night=20261201')
      .expect(201);
    assert.equal(response.body.outcome, 'loaded');
    assert.equal(response.body.rowsRead, 5);
    assert.equal(response.body.rowsLoaded, 5);
    assert.ok(response.body.checks.every((check: { passed: boolean }) => check.passed));
    const rows = await fixture.query<{ line: string }>(
      `SELECT concat_ws('|', s_suppkey, s_name, s_address, s_nationkey, s_phone, s_acctbal, s_comment) || '|' AS line
       FROM warehouse.supplier_data ORDER BY s_suppkey`,
    );
    assert.deepEqual(
      rows.map((row) => row.line),
      DBGEN_SUPPLIER_LINES,
    );
  });
});
