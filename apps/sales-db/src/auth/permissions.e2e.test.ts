import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { appDataSourceOptions, runMigrationsLocked } from '@des/shared';
import { TestDatabase } from '@des/shared/testing';
import { Client, DatabaseError } from 'pg';
import { DataSource } from 'typeorm';
import { entities } from '../database/entities';
import { migrations } from '../database/migrations';
import {
  createSalesTestDatabase,
  createTeamUsers,
  removeTeamUsers,
  TeamUser,
  urlAs,
} from '../e2e-fixtures';
import { Team, TEAMS } from './teams';

type Operation = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';
const TABLES = [
  'items',
  'members',
  'transactions',
  'transaction_lines',
  'member_spending',
  'item_popularity',
  'api_users',
] as const;
type Table = (typeof TABLES)[number];

/** What the issue grants (plus the checkout team's purchase recording); everything else is denied. */
const ALLOWED: Record<Team, Partial<Record<Table, Operation[]>>> = {
  logistics: { transactions: ['SELECT'], transaction_lines: ['SELECT'], items: ['SELECT'] },
  analytics: {
    items: ['SELECT'],
    members: ['SELECT'],
    transactions: ['SELECT'],
    transaction_lines: ['SELECT'],
    member_spending: ['SELECT'],
    item_popularity: ['SELECT'],
  },
  sales: { items: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] },
  checkout: {
    items: ['SELECT'],
    members: ['SELECT'],
    transactions: ['SELECT', 'INSERT'],
    transaction_lines: ['SELECT', 'INSERT'],
  },
};

/** A column each table's UPDATE probe sets (for transactions one logistics may not touch). */
const UPDATE_COLUMN: Record<Table, string> = {
  items: 'cost',
  members: 'email',
  transactions: 'total_price',
  transaction_lines: 'quantity',
  member_spending: 'total_spent',
  item_popularity: 'quantity',
  api_users: 'team',
};

/** Statements that touch no rows: PostgreSQL checks privileges before looking at any. */
const probe = (operation: Operation, table: Table, column = UPDATE_COLUMN[table]): string =>
  ({
    SELECT: `SELECT * FROM sales.${table} LIMIT 0`,
    INSERT: `INSERT INTO sales.${table} DEFAULT VALUES`,
    UPDATE: `UPDATE sales.${table} SET ${column} = NULL WHERE false`,
    DELETE: `DELETE FROM sales.${table} WHERE false`,
  })[operation];

/** true = allowed (no error, or an error other than permission denied, e.g. NOT NULL). */
async function attempt(client: Client, sql: string): Promise<boolean> {
  await client.query('BEGIN');
  try {
    await client.query(sql);
    return true;
  } catch (error) {
    if (error instanceof DatabaseError && error.code === '42501') return false;
    if (error instanceof DatabaseError) return true;
    throw error;
  } finally {
    await client.query('ROLLBACK');
  }
}

describe('team permissions, enforced by PostgreSQL for real logins', () => {
  let database: TestDatabase;
  let users: Record<Team, TeamUser>;
  const clients = {} as Record<Team, Client>;

  before(async () => {
    database = await createSalesTestDatabase('sales_permissions');
    const dataSource = await new DataSource(
      appDataSourceOptions({ app: 'sales-db', url: database.url, entities, migrations }),
    ).initialize();
    await runMigrationsLocked(dataSource, 'sales-db');
    await dataSource.destroy();
    users = await createTeamUsers(database.url);
    for (const team of TEAMS) {
      clients[team] = new Client({
        connectionString: urlAs(database.url, users[team].name, users[team].password),
      });
      await clients[team].connect();
    }
  });

  after(async () => {
    for (const client of Object.values(clients)) await client.end();
    if (users) await removeTeamUsers(database.url, users);
    await database?.drop();
  });

  for (const team of TEAMS) {
    it(`${team}: exactly its grants on every table`, async () => {
      const [{ current_user: me }] = (await clients[team].query('SELECT current_user')).rows;
      assert.equal(me, users[team].name);
      const actual: Record<string, Operation[]> = {};
      const expected: Record<string, Operation[]> = {};
      for (const table of TABLES) {
        actual[table] = [];
        for (const operation of ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] as const) {
          if (await attempt(clients[team], probe(operation, table))) actual[table].push(operation);
        }
        expected[table] = ALLOWED[team][table] ?? [];
      }
      assert.deepEqual(actual, expected);
    });
  }

  it('logistics may update only the status and completion time of transactions', async () => {
    const updates = async (team: Team, column: string) =>
      attempt(clients[team], probe('UPDATE', 'transactions', column));
    assert.equal(await updates('logistics', 'status'), true);
    assert.equal(await updates('logistics', 'completed_at'), true);
    for (const column of [
      'member_id',
      'purchased_at',
      'total_price',
      'total_weight_kg',
      'line_count',
    ]) {
      assert.equal(await updates('logistics', column), false, column);
    }
    for (const team of ['analytics', 'sales', 'checkout'] as const) {
      assert.equal(await updates(team, 'status'), false, team);
    }
  });

  it('PUBLIC has no privileges on the schema or its tables', async () => {
    const [row] = (
      await clients.sales.query(
        `SELECT has_schema_privilege('public', 'sales', 'USAGE') AS public_usage,
                has_table_privilege('public', 'sales.items', 'SELECT') AS public_select`,
      )
    ).rows;
    assert.deepEqual(row, { public_usage: false, public_select: false });
  });
});
