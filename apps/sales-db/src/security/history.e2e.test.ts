import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { appDataSourceOptions, runMigrationsLocked } from '@des/shared';
import { TestDatabase } from '@des/shared/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { salesRoles, Team, TEAMS } from '../auth/teams';
import { entities } from '../database/entities';
import { migrations } from '../database/migrations';
import {
  createSalesTestDatabase,
  createTeamUsers,
  removeTeamUsers,
  TeamUser,
  urlAs,
  withClient,
} from '../e2e-fixtures';

async function migratedDatabase(prefix: string): Promise<TestDatabase> {
  const database = await createSalesTestDatabase(prefix);
  const dataSource = await new DataSource(
    appDataSourceOptions({ app: 'sales-db', url: database.url, entities, migrations }),
  ).initialize();
  await runMigrationsLocked(dataSource, 'sales-db');
  await dataSource.destroy();
  return database;
}

/**
 * Issue 21 §1 and §2.1: what a team member can do with the real PostgreSQL login they are given
 * (psql, not the API). Each case was possible before and must be refused now.
 */
describe('team logins cannot rewrite history (direct SQL as each team)', () => {
  let database: TestDatabase;
  let users: Record<Team, TeamUser>;
  const clients = {} as Record<Team, Client>;
  const admin = (text: string, values?: unknown[]) =>
    withClient(database.url, async (client) => (await client.query(text, values)).rows);
  let memberId: number;
  let soldItem: number;
  let unsoldItem: number;
  let pending: number;
  let completed: number;

  before(async () => {
    database = await migratedDatabase('sales_history');
    users = await createTeamUsers(database.url);
    for (const team of TEAMS) {
      clients[team] = new Client({
        connectionString: urlAs(database.url, users[team].name, users[team].password),
      });
      await clients[team].connect();
    }
    [{ id: memberId }] = await admin(
      `INSERT INTO sales.members (membership_id, first_name, last_name, email, date_of_birth, mobile_no,
                                  above_18, source_file, source_line)
       VALUES ('Lim_12345', 'Ann', 'Lim', 'ann@example.com', '1990-01-01', '12345678', true, 'fixture', 2)
       RETURNING id`,
    );
    const items = await admin(
      `INSERT INTO sales.items (name, manufacturer, cost, weight_kg)
       VALUES ('Kettle', 'Acme', 10.00, 1), ('Toaster', 'Acme', 5.00, 2), ('Lamp', 'Acme', 2.50, 0.5)
       RETURNING id`,
    );
    [soldItem, unsoldItem] = items.map((row: { id: number }) => row.id);
    const buy = async () => {
      const { rows } = await clients.checkout.query<{ id: string }>(
        'INSERT INTO sales.transactions (member_id) VALUES ($1) RETURNING id',
        [memberId],
      );
      await clients.checkout.query(
        `INSERT INTO sales.transaction_lines (transaction_id, item_id, quantity, unit_price, unit_weight_kg)
         VALUES ($1, $2, 2, 10.00, 1)`,
        [rows[0].id, soldItem],
      );
      return Number(rows[0].id);
    };
    pending = await buy();
    completed = await buy();
    await clients.logistics.query(
      `UPDATE sales.transactions SET status = 'completed', completed_at = now() WHERE id = $1`,
      [completed],
    );
  });

  after(async () => {
    for (const client of Object.values(clients)) await client.end();
    if (users) await removeTeamUsers(database.url, users);
    await database?.drop();
  });

  const status = async (id: number) =>
    (
      await admin(
        'SELECT status, total_price::text AS total FROM sales.transactions WHERE id = $1',
        [id],
      )
    )[0];

  it('no team login may create temporary tables (TEMP is revoked from PUBLIC)', async () => {
    for (const team of TEAMS) {
      await assert.rejects(
        clients[team].query('CREATE TEMP TABLE probe (id int)'),
        /permission denied/,
        team,
      );
    }
  });

  it('no team login can become the system role, whose imports the totals triggers trust', async () => {
    const [{ name }] = await admin('SELECT current_database() AS name');
    for (const team of TEAMS) {
      await assert.rejects(
        clients[team].query(`SET ROLE ${salesRoles(name).system}`),
        /permission denied/,
        team,
      );
    }
    // The lines trigger still keeps a team login's totals: two kettles added by checkout.
    assert.deepEqual(await status(pending), { status: 'pending', total: '20.00' });
  });

  it('the completion guard holds inside a trigger too (any depth, not only depth 0)', async () => {
    // What logistics did through a temp table before TEMP was revoked; a trigger made by the
    // superuser runs the same UPDATE at depth 1 here, and even that is refused.
    await admin(`CREATE TABLE public.nested_update (id bigint)`);
    await admin(`
      CREATE FUNCTION public.uncomplete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE sales.transactions SET status = 'pending', completed_at = NULL WHERE id = NEW.id;
        RETURN NEW;
      END $$`);
    await admin(`CREATE TRIGGER uncomplete AFTER INSERT ON public.nested_update
                 FOR EACH ROW EXECUTE FUNCTION public.uncomplete()`);
    await assert.rejects(
      admin('INSERT INTO public.nested_update VALUES ($1)', [completed]),
      /completion is final/,
    );
    assert.equal((await status(completed)).status, 'completed');
  });

  it('checkout cannot add lines to a completed sale', async () => {
    await assert.rejects(
      clients.checkout.query(
        `INSERT INTO sales.transaction_lines (transaction_id, item_id, quantity, unit_price, unit_weight_kg)
         VALUES ($1, $2, 1, 5.00, 2)`,
        [completed, unsoldItem],
      ),
      /pending/,
    );
    assert.equal((await status(completed)).total, '20.00');
    // A pending sale still takes more lines.
    await clients.checkout.query(
      `INSERT INTO sales.transaction_lines (transaction_id, item_id, quantity, unit_price, unit_weight_kg)
       VALUES ($1, $2, 1, 5.00, 2)`,
      [pending, unsoldItem],
    );
    assert.equal((await status(pending)).total, '25.00');
  });

  it('checkout cannot choose a transaction id, purchase time or status', async () => {
    for (const [columns, values] of [
      ['id, member_id', `1000000, ${memberId}`],
      ['member_id, purchased_at', `${memberId}, '2001-01-01'`],
      ['member_id, status, completed_at', `${memberId}, 'completed', now()`],
    ]) {
      await assert.rejects(
        clients.checkout.query(`INSERT INTO sales.transactions (${columns}) VALUES (${values})`),
        /permission denied/,
        columns,
      );
    }
    const [{ max }] = await admin('SELECT max(id)::int AS max FROM sales.transactions');
    assert.ok(max < 1000000);
  });

  it('sales cannot rename a sold item; it may still reprice it or rename an unsold one', async () => {
    await assert.rejects(
      clients.sales.query(`UPDATE sales.items SET name = 'Teapot' WHERE id = $1`, [soldItem]),
      /retire it and create a new item/,
    );
    await assert.rejects(
      clients.sales.query(`UPDATE sales.items SET manufacturer = 'Other' WHERE id = $1`, [
        soldItem,
      ]),
      /retire it and create a new item/,
    );
    await clients.sales.query(`UPDATE sales.items SET cost = 12.00 WHERE id = $1`, [soldItem]);
    const lamp = (await admin(`SELECT id FROM sales.items WHERE name = 'Lamp'`))[0].id;
    await clients.sales.query(`UPDATE sales.items SET name = 'Desk lamp' WHERE id = $1`, [lamp]);
  });
});

describe('team roles and logins are scoped to their database (two databases, one server)', () => {
  let first: TestDatabase;
  let second: TestDatabase;
  let users: Record<Team, TeamUser>;

  before(async () => {
    first = await migratedDatabase('sales_scope_a');
    second = await migratedDatabase('sales_scope_b');
    users = await createTeamUsers(first.url);
  });

  after(async () => {
    if (users) await removeTeamUsers(first.url, users);
    await first?.drop();
    await second?.drop();
  });

  it('a login made for database A cannot connect to database B', async () => {
    for (const team of TEAMS) {
      await assert.rejects(
        withClient(urlAs(second.url, users[team].name, users[team].password), (client) =>
          client.query('SELECT 1'),
        ),
        /permission denied for database/,
        team,
      );
    }
  });

  it("and even with CONNECT it would have none of its team's rights in B", async () => {
    await withClient(second.url, (client) =>
      client.query(`GRANT CONNECT ON DATABASE ${client.escapeIdentifier(second.name)} TO PUBLIC`),
    );
    await withClient(
      urlAs(second.url, users.analytics.name, users.analytics.password),
      async (client) => {
        await assert.rejects(
          client.query('SELECT * FROM sales.items LIMIT 1'),
          /permission denied/,
        );
      },
    );
    // In its own database the same login reads.
    await withClient(urlAs(first.url, users.analytics.name, users.analytics.password), (client) =>
      client.query('SELECT * FROM sales.items LIMIT 1'),
    );
  });
});
