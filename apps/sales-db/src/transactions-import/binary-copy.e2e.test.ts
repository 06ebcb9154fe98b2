import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, TestDatabase } from '@des/shared/testing';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { BinaryRows, timestamptzMicros } from './binary-copy';

describe('binary COPY rows', () => {
  let database: TestDatabase;
  let client: Client;

  before(async () => {
    database = await createTestDatabase('sales_binary_copy');
    client = new Client({ connectionString: database.url });
    await client.connect();
  });

  after(async () => {
    await client?.end();
    await database?.drop();
  });

  /** COPYs `rows` into a fresh table of `columns` and returns the table's rows as text. */
  const copied = async (columns: string, rows: BinaryRows): Promise<Record<string, string>[]> => {
    await client.query('DROP TABLE IF EXISTS copied');
    await client.query(`CREATE TABLE copied (n serial, ${columns})`);
    const names = columns.split(',').map((column) => column.trim().split(' ')[0]);
    await pipeline(
      Readable.from(rows.toCopyData()),
      client.query(copyFrom(`COPY copied (${names} ) FROM STDIN WITH (FORMAT binary)`)),
    );
    const select = names.map((name) => `${name}::text AS ${name}`).join(', ');
    return (await client.query(`SELECT ${select} FROM copied ORDER BY n`)).rows;
  };

  it('writes numerics as PostgreSQL prints them: zero, negative, scales and long values', async () => {
    const values: [number, number, string][] = [
      [0, 2, '0.00'],
      [0, 3, '0.000'],
      [-1, 2, '-0.01'],
      [-123456, 2, '-1234.56'],
      [1, 3, '0.001'],
      [5000, 3, '5.000'],
      [10000, 0, '10000'],
      [100000000, 2, '1000000.00'],
      [12345678901234, 2, '123456789012.34'],
      [1, 4, '0.0001'],
      [-100000000, 4, '-10000.0000'],
      [Number.MAX_SAFE_INTEGER, 3, '9007199254740.991'],
    ];
    const rows = new BinaryRows(Buffer.alloc(8));
    for (const [units, scale] of values) rows.row(1).numeric(units, scale);
    assert.throws(() => rows.numeric(1, 5), RangeError, 'a fraction of more than one digit group');
    assert.throws(() => rows.numeric(0.5, 2), RangeError, 'units are whole');
    const read = await copied('amount numeric', rows);
    assert.deepEqual(
      read.map((row) => row.amount),
      values.map(([, , text]) => text),
    );
  });

  it('writes times with zones, fractions and dates before 2000 as PostgreSQL reads their text', async () => {
    const times = [
      '2025-01-05T11:30:00+08:00',
      '2026-11-11T05:02:32.730Z',
      '1999-12-31T23:59:59.999999-05:30',
      '1969-07-20 20:17:40Z',
      '2024-02-29T00:00+0100',
      '2025-03-01T10:00:00.5+14',
      '0001-01-01T00:00:00Z',
    ];
    const rows = new BinaryRows(Buffer.alloc(8));
    for (const time of times) rows.row(2).int8(timestamptzMicros(time)!).text(time);
    await client.query(`SET TimeZone = 'Asia/Singapore'`);
    const read = await copied('at timestamptz, source text', rows);
    const expected = await client.query<{ at: string }>(
      `SELECT t::timestamptz::text AS at FROM unnest($1::text[]) WITH ORDINALITY u(t, n) ORDER BY n`,
      [times],
    );
    assert.deepEqual(
      read.map((row) => row.at),
      expected.rows.map((row) => row.at),
    );
  });

  it('leaves times it cannot judge exactly as PostgreSQL would to PostgreSQL', () => {
    for (const time of [
      '2025-01-05T11:30:00', // no zone: the session's time zone decides
      '2025-02-30T08:00:00Z',
      '2025-01-05T24:00:00Z',
      '2025-01-05T23:59:60Z',
      '0000-01-01T00:00:00Z',
      '2025-01-05T10:00:00.1234567Z',
      '2025-01-05T10:00:00+16:00',
      '5 January 2025',
    ]) {
      assert.equal(timestamptzMicros(time), undefined, time);
    }
  });

  it('writes text as UTF-8, NULLs, and integers beyond 32 bits or below zero', async () => {
    const rows = new BinaryRows(Buffer.alloc(4)); // grows as rows are added
    rows
      .row(3)
      .text('Zoë 東京 ✓')
      .int8(2 ** 40 + 5)
      .int4(-7);
    rows.row(3).text('').int8(-3).null();
    rows.row(3).null().int8(Number.MAX_SAFE_INTEGER).int4(2147483647);
    const read = await copied('name text, big bigint, small integer', rows);
    assert.deepEqual(read, [
      { name: 'Zoë 東京 ✓', big: String(2 ** 40 + 5), small: '-7' },
      { name: '', big: '-3', small: null },
      { name: null, big: String(Number.MAX_SAFE_INTEGER), small: '2147483647' },
    ]);
  });
});
