import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCents, supplierRows } from './supplier-rows';

describe('supplier rows from the TPC-H specification (clause 4.2.3)', () => {
  const rows = [...supplierRows(2, 7)];

  it('has SF x 10,000 rows with keys 1..N and names from the key', () => {
    assert.equal(rows.length, 20_000);
    rows.forEach((row, i) => {
      assert.equal(row.s_suppkey, i + 1);
      assert.equal(row.s_name, `Supplier#${String(i + 1).padStart(9, '0')}`);
    });
  });

  it('keeps every value within the spec ranges', () => {
    for (const row of rows) {
      assert.ok(row.s_nationkey >= 0 && row.s_nationkey <= 24);
      assert.match(row.s_phone, /^\d{2}-[1-9]\d{2}-[1-9]\d{2}-[1-9]\d{3}$/);
      assert.equal(Number(row.s_phone.slice(0, 2)), row.s_nationkey + 10);
      assert.match(row.s_acctbal, /^-?\d{1,4}\.\d{2}$/);
      assert.ok(Number(row.s_acctbal) >= -999.99 && Number(row.s_acctbal) <= 9999.99);
      assert.ok(row.s_address.length >= 10 && row.s_address.length <= 40);
      assert.match(row.s_address, /^[0-9A-Za-z, ]+$/);
      assert.ok(row.s_comment.length >= 25 && row.s_comment.length <= 100, row.s_comment);
    }
  });

  it('covers the ranges (both ends of the amounts, all 25 nations, spaces at the edges)', () => {
    assert.equal(new Set(rows.map((row) => row.s_nationkey)).size, 25);
    assert.ok(rows.some((row) => row.s_acctbal.startsWith('-')));
    assert.ok(rows.some((row) => Number(row.s_acctbal) > 9000));
    assert.ok(rows.some((row) => row.s_comment.startsWith(' ') || row.s_comment.endsWith(' ')));
    assert.ok(rows.some((row) => row.s_address.startsWith(' ') || row.s_address.endsWith(' ')));
  });

  it('puts Customer…Complaints in exactly SF x 5 comments and Customer…Recommends in another SF x 5', () => {
    const complaints = rows.filter((row) => /Customer.*Complaints/.test(row.s_comment));
    const recommends = rows.filter((row) => /Customer.*Recommends/.test(row.s_comment));
    assert.equal(complaints.length, 10);
    assert.equal(recommends.length, 10);
    assert.equal(complaints.filter((row) => recommends.includes(row)).length, 0);
  });

  it('repeats for a seed and differs for another', () => {
    assert.deepEqual([...supplierRows(2, 7)], rows);
    assert.notDeepEqual([...supplierRows(2, 8)], rows);
  });

  it('writes cents exactly', () => {
    assert.deepEqual([-99_999, -50, 0, 5, 999_999].map(formatCents), [
      '-999.99',
      '-0.50',
      '0.00',
      '0.05',
      '9999.99',
    ]);
  });
});
