import { randomBytes } from 'node:crypto';
import { appDataSourceOptions, runMigrationsLocked } from '@des/shared';
import { createTestDatabase, TestDatabase } from '@des/shared/testing';
import { Client, escapeIdentifier } from 'pg';
import { DataSource } from 'typeorm';
import { UsersRepository } from './auth/users.repository';
import { UsersService } from './auth/users.service';
import { TEAMS, Team } from './auth/teams';
import { entities } from './database/entities';
import { migrations } from './database/migrations';

export interface TeamUser {
  name: string;
  team: Team;
  password: string;
}

/**
 * One real LOGIN role per team, named uniquely: roles are cluster-wide and other test files (or
 * the other CI server run) share the server.
 */
export async function createTeamUsers(databaseUrl: string): Promise<Record<Team, TeamUser>> {
  const suffix = randomBytes(3).toString('hex');
  const users = {} as Record<Team, TeamUser>;
  await withClient(databaseUrl, async (client) => {
    const service = new UsersService(new UsersRepository(client));
    for (const team of TEAMS) users[team] = await service.add(team, `t${suffix}_${team}`);
  });
  return users;
}

export async function removeTeamUsers(
  databaseUrl: string,
  users: Record<Team, TeamUser>,
): Promise<void> {
  await withClient(databaseUrl, async (client) => {
    const service = new UsersService(new UsersRepository(client));
    for (const user of Object.values(users)) await service.remove(user.name).catch(() => undefined);
  });
}

/** The same database URL, logged in as another role. */
export function urlAs(databaseUrl: string, user: string, password: string): string {
  const url = new URL(databaseUrl);
  url.username = user;
  url.password = password;
  return url.toString();
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export const basic = (user: TeamUser): string =>
  `Basic ${Buffer.from(`${user.name}:${user.password}`).toString('base64')}`;

/**
 * A fresh test database whose drop() also drops the sales roles named after it: roles are
 * server-wide and would otherwise outlive the database on a shared test server.
 */
export async function createSalesTestDatabase(prefix: string): Promise<TestDatabase> {
  const database = await createTestDatabase(prefix);
  return {
    ...database,
    drop: async () => {
      await database.drop();
      await dropSalesRoles(database.name);
    },
  };
}

/**
 * The app's data source on a test database, migrated; statement logging off (tests provoke
 * refusals on purpose).
 */
export async function openMigratedDataSource(url: string): Promise<DataSource> {
  const dataSource = await new DataSource({
    ...appDataSourceOptions({ app: 'sales-db', url, entities, migrations }),
    logging: false,
  }).initialize();
  await runMigrationsLocked(dataSource, 'sales-db');
  return dataSource;
}

/** Drops the roles of sales databases whose names start with `databasePrefix`. */
export async function dropSalesRoles(databasePrefix: string): Promise<void> {
  await withClient(process.env.DATABASE_URL!, async (client) => {
    const { rows } = await client.query<{ rolname: string }>(
      `SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1)`,
      [`sales_${databasePrefix}`],
    );
    for (const { rolname } of rows) {
      await client.query(`DROP ROLE IF EXISTS ${escapeIdentifier(rolname)}`).catch(() => undefined);
    }
  });
}

/**
 * Rows whose stored totals or report aggregates differ from what the lines say: transactions,
 * member_spending rows and item_popularity rows (all 0 when exact).
 */
export const DRIFT_QUERY = `
      SELECT
        (SELECT count(*)::int FROM sales.transactions t
           LEFT JOIN (SELECT transaction_id, sum(quantity * unit_price) AS price,
                             sum(quantity * unit_weight_kg) AS weight, count(*)::int AS lines,
                             sum(quantity)::int AS units
                        FROM sales.transaction_lines GROUP BY transaction_id) l ON l.transaction_id = t.id
          WHERE (t.total_price, t.total_weight_kg, t.line_count, t.item_count)
                IS DISTINCT FROM (coalesce(l.price, 0), coalesce(l.weight, 0), coalesce(l.lines, 0), coalesce(l.units, 0))
        ) AS transactions,
        (SELECT count(*)::int FROM sales.member_spending s
           FULL JOIN (SELECT member_id, sum(total_price) AS spent, count(*)::int AS n
                        FROM sales.transactions WHERE line_count > 0 GROUP BY member_id) r
             ON r.member_id = s.member_id
          WHERE (s.total_spent, s.transaction_count) IS DISTINCT FROM (r.spent, r.n)
        ) AS members,
        (SELECT count(*)::int FROM sales.item_popularity p
           FULL JOIN (SELECT item_id, sum(quantity) AS units, count(*) AS n
                        FROM sales.transaction_lines GROUP BY item_id) r ON r.item_id = p.item_id
          WHERE (p.quantity, p.transaction_count) IS DISTINCT FROM (r.units, r.n)
        ) AS items`;
