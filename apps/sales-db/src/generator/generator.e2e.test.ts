import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { appDataSourceOptions, runMigrationsLocked } from '@des/shared';
import { createTestDatabase, TestDatabase } from '@des/shared/testing';
import { DataSource } from 'typeorm';
import { entities } from '../database/entities';
import { migrations } from '../database/migrations';
import { SalesDatabase } from '../database/sales-database';
import { ReportsRepository } from '../reports/reports.repository';
import { GeneratorRepository } from './generator.repository';
import { GeneratorService } from './generator.service';

describe('generate (COPY bulk load)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let sales: SalesDatabase;
  const repository = new GeneratorRepository();

  before(async () => {
    database = await createTestDatabase('sales_generate');
    dataSource = await new DataSource({
      ...appDataSourceOptions({ app: 'sales-db', url: database.url, entities, migrations }),
      logging: false,
    }).initialize();
    await runMigrationsLocked(dataSource, 'sales-db');
    sales = new SalesDatabase(dataSource, { SALES_API_DATABASE_URL: undefined });
  });

  after(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('refuses to run without members', async () => {
    await assert.rejects(
      new GeneratorService(sales, repository).generate({ transactions: 1 }),
      /no members/,
    );
  });

  it('loads a catalogue of hundreds of items and transactions whose totals match their lines', async () => {
    await sales.asAdmin((sql) => repository.insertSyntheticMembers(sql, 50));
    const result = await new GeneratorService(sales, repository).generate({
      transactions: 2000,
      batchSize: 700,
    });
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

  it('still refuses dangling references when per-row foreign-key checks are skipped', async () => {
    const copyIn = (statements: string[]) =>
      sales.asAdmin(async (sql) => {
        assert.equal(await repository.prepareBulkLoad(sql), true);
        for (const statement of statements) await sql(statement);
      });
    await assert.rejects(
      copyIn(['INSERT INTO sales.transactions (member_id) VALUES (987654)']),
      /members that do not exist/,
    );
    await assert.rejects(
      copyIn([
        `INSERT INTO sales.transaction_lines (transaction_id, item_id, quantity, unit_price, unit_weight_kg)
         SELECT 987654, id, 1, cost, weight_kg FROM sales.items LIMIT 1`,
      ]),
      /transactions that do not exist/,
    );
    await assert.rejects(
      copyIn([
        `INSERT INTO sales.transaction_lines (transaction_id, item_id, quantity, unit_price, unit_weight_kg)
         VALUES (1, 987654, 1, 1, 1)`,
      ]),
      /live item/,
    );
  });
});
