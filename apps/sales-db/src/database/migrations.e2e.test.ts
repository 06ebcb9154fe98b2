import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { appDataSourceOptions, findSchemaDrift } from '@des/shared';
import { createTestDatabase, TestDatabase } from '@des/shared/testing';
import { DataSource } from 'typeorm';
import { entities } from './entities';
import { migrations } from './migrations';

const tables = async (dataSource: DataSource): Promise<string[]> =>
  (
    await dataSource.query<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'sales' ORDER BY 1`,
    )
  ).map((row) => row.table_name);

describe('sales-db migrations', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  // A second database on the same server using the same (cluster-wide) roles.
  let neighbour: TestDatabase;
  let neighbourSource: DataSource;

  before(async () => {
    database = await createTestDatabase('sales_migrations');
    dataSource = await new DataSource(
      appDataSourceOptions({ app: 'sales-db', url: database.url, entities, migrations }),
    ).initialize();
    neighbour = await createTestDatabase('sales_neighbour');
    neighbourSource = await new DataSource(
      appDataSourceOptions({ app: 'sales-db', url: neighbour.url, entities, migrations }),
    ).initialize();
    await neighbourSource.runMigrations();
  });

  after(async () => {
    await dataSource?.destroy();
    await database?.drop();
    await neighbourSource?.destroy();
    await neighbour?.drop();
  });

  it('go up to the full schema, with team roles, and match the entities', async () => {
    await dataSource.runMigrations();
    assert.deepEqual(await tables(dataSource), [
      'api_users',
      'item_popularity',
      'items',
      'member_spending',
      'members',
      'transaction_lines',
      'transactions',
    ]);
    const roles = await dataSource.query<{ rolname: string; rolcanlogin: boolean }[]>(
      `SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname LIKE 'sales\\_db\\_%' ORDER BY 1`,
    );
    assert.deepEqual(
      roles.map((role) => role.rolname),
      [
        'sales_db_analytics',
        'sales_db_app',
        'sales_db_checkout',
        'sales_db_logistics',
        'sales_db_sales',
      ],
    );
    assert.ok(roles.every((role) => !role.rolcanlogin));
    const [publicUsage] = await dataSource.query(
      `SELECT has_schema_privilege('public', 'sales', 'USAGE') AS usage`,
    );
    assert.equal(publicUsage.usage, false);
    assert.deepEqual(await findSchemaDrift(dataSource), []);
  });

  it('go all the way down (keeping roles another database uses) and up again', async () => {
    for (let i = 0; i < migrations.length; i += 1) await dataSource.undoLastMigration();
    const [schema] = await dataSource.query(
      `SELECT count(*)::int AS n FROM information_schema.schemata WHERE schema_name = 'sales'`,
    );
    assert.equal(schema.n, 0);
    // The roles survive for the other database, whose grants are untouched.
    const [kept] = await neighbourSource.query(
      `SELECT has_table_privilege('sales_db_analytics', 'sales.items', 'SELECT') AS analytics_reads,
              has_column_privilege('sales_db_logistics', 'sales.transactions', 'status', 'UPDATE')
                AS logistics_completes`,
    );
    assert.deepEqual(kept, { analytics_reads: true, logistics_completes: true });
    await dataSource.runMigrations();
    assert.equal((await tables(dataSource)).length, 7);
  });
});
