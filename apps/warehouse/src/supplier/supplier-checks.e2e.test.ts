import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, TestDatabase } from '@des/shared/testing';
import { Client } from 'pg';
import { aggregateChecksQuery } from '../loads/checks';
import { SUPPLIER_ROW_CHECKS } from './supplier-checks';

const check = (name: string) => {
  const found = SUPPLIER_ROW_CHECKS.find((rule) => rule.name === name);
  assert.ok(found, name);
  return found;
};

/** One valid stage row (dbgen's supplier 1); each case changes one field. */
const VALID = {
  s_suppkey: 1,
  s_name: 'Supplier#000000001',
  s_address: ' N kD4on9OM Ipw3,gf0JBoQDd7tgrzrddZ',
  s_nationkey: 17,
  s_phone: '27-918-335-1736',
  s_acctbal: '5755.94',
  s_comment: 'each slyly above the careful',
  s_trailing: '',
};

describe('the supplier checks, rule by rule, on PostgreSQL', () => {
  let database: TestDatabase;
  let client: Client;

  before(async () => {
    database = await createTestDatabase('warehouse_checks');
    client = new Client({ connectionString: database.url });
    await client.connect();
    await client.query(`CREATE TEMPORARY TABLE stage (s_suppkey integer, s_name text,
      s_address text, s_nationkey smallint, s_phone text, s_acctbal numeric, s_comment text,
      s_trailing text)`);
  });
  after(async () => {
    await client.end();
    await database.drop();
  });

  /** The figure of `rule` over one row: 0 passes, 1 fails. */
  async function figure(rule: string, row: Partial<typeof VALID>): Promise<number> {
    const values = { ...VALID, ...row };
    await client.query('TRUNCATE stage');
    await client.query(
      `INSERT INTO stage VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      Object.values(values),
    );
    const { rows } = await client.query<{ f0: string }>(
      aggregateChecksQuery('stage', [check(rule)]),
    );
    return Number(rows[0].f0);
  }

  it('phone_pattern: CC-ddd-ddd-dddd with CC = nationkey + 10, nothing else', async () => {
    const cases: Array<[Partial<typeof VALID>, number]> = [
      [{}, 0],
      [{ s_nationkey: 0, s_phone: '10-000-999-0000' }, 0],
      [{ s_nationkey: 24, s_phone: '34-123-456-7890' }, 0],
      [{ s_phone: '28-918-335-1736' }, 1], // country code is not nationkey + 10
      [{ s_phone: '27-918-335-173' }, 1], // too short
      [{ s_phone: '27-918-335-17366' }, 1], // too long
      [{ s_phone: '27-9183-35-1736' }, 1], // dash misplaced
      [{ s_phone: '27-91A-335-1736' }, 1], // a letter
      [{ s_phone: '27 918 335 1736' }, 1], // spaces for dashes
      [{ s_phone: '27-918-335-173٣' }, 1], // a non-ASCII digit
      [{ s_phone: ' 27-918-335-1736' }, 1], // a leading space
      [{ s_phone: '27--18-335-1736' }, 1], // a dash for a digit
      [{ s_phone: '27-918-335-1-36' }, 1], // a dash for a digit, after the last dash
      [{ s_phone: '27-918-335-17\n6' }, 1], // a newline
      [{ s_nationkey: -15, s_phone: '-5-918-335-1736' }, 1], // a negative country code
      [{ s_nationkey: -5, s_phone: '05-918-335-1736' }, 1],
      [{ s_phone: null as unknown as string }, 1],
      [{ s_nationkey: null as unknown as number }, 1],
    ];
    for (const [row, expected] of cases) {
      assert.equal(await figure('phone_pattern', row), expected, JSON.stringify(row));
    }
  });

  it('text lengths count characters, not bytes', async () => {
    assert.equal(await figure('address_length', { s_address: 'é'.repeat(40) }), 0);
    assert.equal(await figure('address_length', { s_address: 'é'.repeat(41) }), 1);
    assert.equal(await figure('address_length', { s_address: 'é'.repeat(9) }), 1);
    assert.equal(await figure('comment_length', { s_comment: 'ü'.repeat(100) }), 0);
    assert.equal(await figure('comment_length', { s_comment: ' '.repeat(24) }), 1);
    assert.equal(await figure('comment_length', { s_comment: 'ü'.repeat(101) }), 1);
    assert.equal(await figure('comment_length', { s_comment: `${'\n'.repeat(24)}%` }), 0);
    assert.equal(await figure('address_length', { s_address: 'é'.repeat(10) }), 0);
  });

  it('name_matches_key: Supplier# and the key zero-padded to 9 digits', async () => {
    assert.equal(
      await figure('name_matches_key', { s_suppkey: 42, s_name: 'Supplier#000000042' }),
      0,
    );
    assert.equal(await figure('name_matches_key', { s_suppkey: 42, s_name: 'Supplier#42' }), 1);
    assert.equal(
      await figure('name_matches_key', { s_suppkey: 42, s_name: 'Supplier#000000042 ' }),
      1,
    );
  });
});
