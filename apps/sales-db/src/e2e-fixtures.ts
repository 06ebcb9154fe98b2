import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { UsersRepository } from './auth/users.repository';
import { UsersService } from './auth/users.service';
import { TEAMS, Team } from './auth/teams';

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
