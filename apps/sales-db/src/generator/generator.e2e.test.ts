import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TestDatabase } from '@des/shared/testing';
import { DataSource } from 'typeorm';
import { SalesDatabase } from '../database/sales-database';
import { ReportsRepository } from '../reports/reports.repository';
import { TransactionsImportService } from '../transactions-import/transactions-import.service';
import { GeneratorRepository } from './generator.repository';
import { GeneratorService } from './generator.service';
import { createSalesTestDatabase, DRIFT_QUERY, openMigratedDataSource } from '../e2e-fixtures';

describe('generate (through the import path)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let sales: SalesDatabase;
  const repository = new GeneratorRepository();
  const generatorOf = () =>
    new GeneratorService(sales, repository, new TransactionsImportService(sales));
  const lineCount = async () =>
    (await dataSource.query('SELECT count(*)::int AS n FROM sales.transaction_lines'))[0]
      .n as number;

  before(async () => {
    database = await createSalesTestDatabase('sales_generate');
    dataSource = await openMigratedDataSource(database.url);
    sales = new SalesDatabase(dataSource);
  });

  after(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('refuses to run without members', async () => {
    await assert.rejects(generatorOf().generate({ transactions: 1 }), /no members/);
  });

  it('loads a catalogue of hundreds of items and transactions whose totals match their lines', async () => {
    await sales.asAdmin((sql) => repository.insertSyntheticMembers(sql, 50));
    const result = await generatorOf().generate({ transactions: 2000 });
    assert.equal(result.transactions, 2000);
    const [catalogue] = await dataSource.query(
      'SELECT count(*)::int AS items, count(DISTINCT manufacturer)::int AS manufacturers FROM sales.items',
    );
    assert.ok(catalogue.items >= 300 && catalogue.manufacturers >= 5);
    const [mismatch] = await dataSource.query(`
      SELECT count(*)::int AS n FROM sales.transactions t
        JOIN (SELECT transaction_id, sum(quantity * unit_price) AS price, sum(quantity * unit_weight_kg) AS weight,
                     count(*) AS lines
                FROM sales.transaction_lines GROUP BY transaction_id) l ON l.transaction_id = t.id
       WHERE (t.total_price, t.total_weight_kg, t.line_count) IS DISTINCT FROM (l.price, l.weight, l.lines)`);
    assert.equal(mismatch.n, 0);
    const [{ lines }] = await dataSource.query(
      'SELECT count(*)::int AS lines FROM sales.transaction_lines',
    );
    assert.equal(lines, result.lines);
    const reports = new ReportsRepository();
    for (const fromLines of [false, true]) {
      assert.ok(
        (await sales.asAdmin((sql) => reports.topMembers(sql, 10, fromLines))).length === 10,
      );
    }
    assert.deepEqual(
      await sales.asAdmin((sql) => reports.topMembers(sql, 10)),
      await sales.asAdmin((sql) => reports.topMembers(sql, 10, true)),
    );
    for (const by of ['quantity', 'transactions'] as const) {
      assert.deepEqual(
        await sales.asAdmin((sql) => reports.topItems(sql, 3, by)),
        await sales.asAdmin((sql) => reports.topItems(sql, 3, by, true)),
      );
    }
  });

  it('keeps totals and both aggregates exact under concurrent bulk loads and single inserts', async () => {
    await sales.asAdmin((sql) => repository.insertSyntheticMembers(sql, 50));
    const generator = generatorOf();
    // Single purchases through plain INSERTs (per-row foreign keys, no bulk-load settings), as
    // the checkout API writes them, racing two bulk loads for the same aggregate rows.
    const singles = async (count: number) => {
      let lines = 0;
      for (let i = 0; i < count; i += 1) {
        lines += await sales.asAdmin(async (sql) => {
          const [{ id }] = await sql<{ id: string }>(
            `INSERT INTO sales.transactions (member_id)
             SELECT id FROM sales.members ORDER BY id OFFSET $1 LIMIT 1 RETURNING id`,
            [i % 50],
          );
          const added = await sql(
            `INSERT INTO sales.transaction_lines (transaction_id, item_id, quantity, unit_price, unit_weight_kg)
             SELECT $1, id, 1 + id % 3, cost, weight_kg FROM sales.items WHERE id % 97 = $2 % 97
             RETURNING 1`,
            [id, i],
          );
          return added.length;
        });
      }
      return lines;
    };
    await generator.ensureCatalogue();
    const before = await lineCount();
    const [first, second, single] = await Promise.all([
      generator.generate({ transactions: 1500, seed: 1 }),
      generator.generate({ transactions: 1500, seed: 2 }),
      singles(60),
    ]);
    assert.equal((await lineCount()) - before, first.lines + second.lines + single);
    assert.ok(single > 0);

    const [drift] = await dataSource.query(DRIFT_QUERY);
    assert.deepEqual(drift, { transactions: 0, members: 0, items: 0 });
  });

  it('loads exactly what generate --out writes for the same seed, and a second run adds nothing', async () => {
    const generator = generatorOf();
    const loaded = await generator.generate({ transactions: 400, seed: 11 });
    assert.deepEqual([loaded.transactions, loaded.alreadyPresent], [400, 0]);
    const again = await generator.generate({ transactions: 400, seed: 11 });
    assert.deepEqual([again.transactions, again.alreadyPresent], [0, 400]);
    const dir = await mkdtemp(join(tmpdir(), 'sales-generate-'));
    try {
      const out = join(dir, 'seed-11.csv');
      const written = await generator.writeFile({ transactions: 400, seed: 11, out });
      assert.equal(written.rows, loaded.lines);
      const [imported] = await new TransactionsImportService(sales).import(out);
      assert.deepEqual([imported.transactions, imported.alreadyPresent], [0, 400]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
