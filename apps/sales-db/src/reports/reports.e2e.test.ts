import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestDatabase } from '@des/shared/testing';
import { DataSource } from 'typeorm';
import { SalesDatabase } from '../database/sales-database';
import { ReportsRepository } from './reports.repository';
import { createSalesTestDatabase, openMigratedDataSource } from '../e2e-fixtures';

/**
 * Hand-computed fixture. Items: A 10.00/1kg, B 5.00/0.5kg, C 2.50/0.2kg, D 100.00/3kg.
 *   t1 m1: A×2 B×1 = 25.00 | t2 m2: C×4 B×3 = 25.00 | t3 m3: A×3 = 30.00
 *   t4 m1: C×1 = 2.50      | t5 m4: B×5 = 25.00
 * Spending: m3 30.00, m1 27.50, m2 25.00 = m4 25.00 (tie: lower member id first).
 * Units: B 9, A 5 = C 5 (tie: lower item id first). Transactions: B 3, A 2 = C 2.
 */
describe('analyst reports and totals on a hand-computed fixture', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let sales: SalesDatabase;
  const reports = new ReportsRepository();
  const item: Record<string, number> = {};
  const member: number[] = [];
  const tx: number[] = [];

  const q = (text: string, values?: unknown[]) => dataSource.query(text, values);
  const buy = async (memberId: number, lines: [string, number][]) => {
    const [{ id }] = await q(
      'INSERT INTO sales.transactions (member_id) VALUES ($1) RETURNING id::int',
      [memberId],
    );
    await addLines(id, lines);
    return id as number;
  };
  const addLines = (id: number, lines: [string, number][]) =>
    q(
      `INSERT INTO sales.transaction_lines (transaction_id, item_id, quantity, unit_price, unit_weight_kg)
       SELECT $1, i.id, r.quantity, i.cost, i.weight_kg
         FROM unnest($2::int[], $3::int[]) r(item_id, quantity) JOIN sales.items i ON i.id = r.item_id`,
      [id, lines.map(([name]) => item[name]), lines.map(([, quantity]) => quantity)],
    );
  const totals = async (id: number) =>
    (
      await q(
        `SELECT total_price::text AS price, total_weight_kg::text AS weight, line_count, item_count
           FROM sales.transactions WHERE id = $1`,
        [id],
      )
    )[0];

  before(async () => {
    database = await createSalesTestDatabase('sales_reports');
    dataSource = await openMigratedDataSource(database.url);
    sales = new SalesDatabase(dataSource);
    for (const [name, cost, weight] of [
      ['A', '10.00', '1'],
      ['B', '5.00', '0.5'],
      ['C', '2.50', '0.2'],
      ['D', '100.00', '3'],
    ]) {
      const [row] = await q(
        `INSERT INTO sales.items (name, manufacturer, cost, weight_kg) VALUES ($1, 'Acme', $2, $3) RETURNING id`,
        [name, cost, weight],
      );
      item[name] = row.id;
    }
    for (let i = 1; i <= 4; i += 1) {
      const [row] = await q(
        `INSERT INTO sales.members (membership_id, first_name, last_name, email, date_of_birth, mobile_no,
                                    above_18, source_file, source_line)
         VALUES ($1, 'M', 'Member', $2, '1990-01-01', '12345678', true, 'fixture', $3) RETURNING id`,
        [`Member_${i}`, `m${i}@example.com`, i],
      );
      member[i] = row.id;
    }
    tx[1] = await buy(member[1], [
      ['A', 2],
      ['B', 1],
    ]);
    tx[2] = await buy(member[2], [
      ['C', 4],
      ['B', 3],
    ]);
    tx[3] = await buy(member[3], [['A', 3]]);
    tx[4] = await buy(member[1], [['C', 1]]);
    tx[5] = await buy(member[4], [['B', 5]]);
  });

  after(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const topMembers = (limit: number, fromLines = false) =>
    sales.asAdmin((sql) => reports.topMembers(sql, limit, fromLines));
  const topItems = (by: 'quantity' | 'transactions', fromLines = false) =>
    sales.asAdmin((sql) => reports.topItems(sql, 3, by, fromLines));

  it('top members by spending, ties by member id', async () => {
    const top = await topMembers(10);
    assert.deepEqual(
      top.map((m) => [m.memberId, m.totalSpent, m.transactionCount]),
      [
        [member[3], 30, 1],
        [member[1], 27.5, 2],
        [member[2], 25, 1],
        [member[4], 25, 1],
      ],
    );
    assert.deepEqual(await topMembers(2), top.slice(0, 2));
    assert.deepEqual(await topMembers(10, true), top);
  });

  it('top 3 items by units and by transactions, ties by item id', async () => {
    const byQuantity = await topItems('quantity');
    assert.deepEqual(
      byQuantity.map((i) => [i.itemId, i.unitsSold, i.transactionCount]),
      [
        [item.B, 9, 3],
        [item.A, 5, 2],
        [item.C, 5, 2],
      ],
    );
    const byTransactions = await topItems('transactions');
    assert.deepEqual(
      byTransactions.map((i) => [i.itemId, i.transactionCount]),
      [
        [item.B, 3],
        [item.A, 2],
        [item.C, 2],
      ],
    );
    assert.deepEqual(await topItems('quantity', true), byQuantity);
    assert.deepEqual(await topItems('transactions', true), byTransactions);
  });

  it('keeps totals consistent with the lines when lines are added', async () => {
    assert.deepEqual(await totals(tx[1]), {
      price: '25.00',
      weight: '2.500',
      line_count: 2,
      item_count: 3,
    });
    await addLines(tx[4], [['D', 1]]);
    assert.deepEqual(await totals(tx[4]), {
      price: '102.50',
      weight: '3.200',
      line_count: 2,
      item_count: 2,
    });
    const [m1] = (await topMembers(1)).filter((m) => m.memberId === member[1]);
    assert.deepEqual([m1.totalSpent, m1.transactionCount], [127.5, 2]);
    assert.deepEqual(await topMembers(10, true), await topMembers(10));
    assert.deepEqual(await topItems('quantity', true), await topItems('quantity'));
  });

  it('a past transaction keeps its prices after an item price change or retirement', async () => {
    await q(`UPDATE sales.items SET cost = 99, weight_kg = 9 WHERE id = $1`, [item.A]);
    await q(`UPDATE sales.items SET retired_at = now() WHERE id = $1`, [item.B]);
    assert.deepEqual(await totals(tx[1]), {
      price: '25.00',
      weight: '2.500',
      line_count: 2,
      item_count: 3,
    });
    const lines = await q(
      `SELECT item_id, unit_price::text AS price FROM sales.transaction_lines WHERE transaction_id = $1 ORDER BY item_id`,
      [tx[1]],
    );
    assert.deepEqual(lines, [
      { item_id: item.A, price: '10.00' },
      { item_id: item.B, price: '5.00' },
    ]);
  });

  it('refuses totals written directly, lines with other prices, and rewriting history', async () => {
    await assert.rejects(
      q('UPDATE sales.transactions SET total_price = 1 WHERE id = $1', [tx[1]]),
      /only the status/,
    );
    await assert.rejects(
      q(`INSERT INTO sales.transactions (member_id, total_price) VALUES ($1, 5)`, [member[1]]),
      /zero totals/,
    );
    await assert.rejects(
      q(
        `INSERT INTO sales.transaction_lines (transaction_id, item_id, quantity, unit_price, unit_weight_kg)
         VALUES ($1, $2, 1, 1.00, 0.2)`,
        [tx[2], item.D],
      ),
      /current price and weight/,
    );
    await assert.rejects(
      q('DELETE FROM sales.transaction_lines WHERE transaction_id = $1', [tx[1]]),
      /immutable/,
    );
    await assert.rejects(
      q(`UPDATE sales.transactions SET status = 'completed' WHERE id = $1`, [tx[1]]),
      /completion/,
    );
  });

  it('makes completion final: neither the status nor the completion time changes afterwards', async () => {
    await q(
      `UPDATE sales.transactions SET status = 'completed', completed_at = now() WHERE id = $1`,
      [tx[2]],
    );
    await assert.rejects(
      q(
        `UPDATE sales.transactions SET completed_at = completed_at + interval '1 day' WHERE id = $1`,
        [tx[2]],
      ),
      /completion is final/,
    );
    await assert.rejects(
      q(`UPDATE sales.transactions SET status = 'pending', completed_at = NULL WHERE id = $1`, [
        tx[2],
      ]),
      /completion is final/,
    );
  });
});
