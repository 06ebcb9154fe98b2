import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { appDataSourceOptions, findSchemaDrift } from '@des/shared';
import { TestDatabase } from '@des/shared/testing';
import { DataSource } from 'typeorm';
import { salesRoles } from '../auth/teams';
import { entities } from './entities';
import { migrations } from './migrations';
import { createSalesTestDatabase } from '../e2e-fixtures';

const tables = async (dataSource: DataSource): Promise<string[]> =>
  (
    await dataSource.query<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'sales' ORDER BY 1`,
    )
  ).map((row) => row.table_name);

describe('sales-db migrations', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  // A second database on the same server, with its own roles.
  let neighbour: TestDatabase;
  let neighbourSource: DataSource;

  before(async () => {
    database = await createSalesTestDatabase('sales_migrations');
    dataSource = await new DataSource(
      appDataSourceOptions({ app: 'sales-db', url: database.url, entities, migrations }),
    ).initialize();
    neighbour = await createSalesTestDatabase('sales_neighbour');
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

  const rolesOf = async (name: string) =>
    await dataSource.query<{ rolname: string; rolcanlogin: boolean }[]>(
      `SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname LIKE $1 ORDER BY 1`,
      [`sales\\_${name}\\_%`],
    );

  it("go up to the full schema, with this database's own roles, and match the entities", async () => {
    await dataSource.runMigrations();
    assert.deepEqual(await tables(dataSource), [
      'api_users',
      'item_popularity',
      'items',
      'member_spending',
      'members',
      'service_logins',
      'transaction_lines',
      'transactions',
    ]);
    const roles = salesRoles(database.name);
    const found = await rolesOf(database.name);
    assert.deepEqual(
      found.map((role) => role.rolname),
      [...Object.values(roles.teams), roles.app, roles.system].sort(),
    );
    assert.ok(found.every((role) => !role.rolcanlogin));
    const [publicRights] = await dataSource.query(
      `SELECT has_schema_privilege('public', 'sales', 'USAGE') AS usage,
              has_database_privilege('public', current_database(), 'CONNECT') AS connect,
              has_database_privilege('public', current_database(), 'TEMPORARY') AS temporary`,
    );
    assert.deepEqual(publicRights, { usage: false, connect: false, temporary: false });
    assert.deepEqual(await findSchemaDrift(dataSource), []);
  });

  it("go all the way down (dropping only this database's roles) and up again", async () => {
    for (let i = 0; i < migrations.length; i += 1) await dataSource.undoLastMigration();
    const [schema] = await dataSource.query(
      `SELECT count(*)::int AS n FROM information_schema.schemata WHERE schema_name = 'sales'`,
    );
    assert.equal(schema.n, 0);
    assert.deepEqual(await rolesOf(database.name), []);
    const [publicRights] = await dataSource.query(
      `SELECT has_database_privilege('public', current_database(), 'CONNECT') AS connect`,
    );
    assert.deepEqual(publicRights, { connect: true });
    // The other database's roles and grants are untouched.
    const neighbourRoles = salesRoles(neighbour.name);
    const [kept] = await neighbourSource.query(
      `SELECT has_table_privilege($1, 'sales.items', 'SELECT') AS analytics_reads,
              has_column_privilege($2, 'sales.transactions', 'status', 'UPDATE')
                AS logistics_completes`,
      [neighbourRoles.teams.analytics, neighbourRoles.teams.logistics],
    );
    assert.deepEqual(kept, { analytics_reads: true, logistics_completes: true });
    await dataSource.runMigrations();
    assert.equal((await tables(dataSource)).length, 8);
  });
});
