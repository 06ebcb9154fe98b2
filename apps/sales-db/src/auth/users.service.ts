import { generatePassword, hashPassword } from './password';
import { TEAMS, Team } from './teams';
import { UsersRepository } from './users.repository';

const NAME = /^[a-z][a-z0-9_]{2,62}$/;

/** `add-user` / `remove-user`: one LOGIN role per team member, its password shown once. */
export class UsersService {
  constructor(private readonly users: UsersRepository) {}

  async add(team: string, name: string): Promise<{ name: string; team: Team; password: string }> {
    const validTeam = parseTeam(team);
    const validName = parseName(name);
    const password = generatePassword();
    await this.users.create(validName, validTeam, password, await hashPassword(password));
    return { name: validName, team: validTeam, password };
  }

  async remove(name: string): Promise<{ name: string; team: Team; dropped: boolean }> {
    const validName = parseName(name);
    const removed = await this.users.remove(validName);
    if (!removed) throw new Error(`--name: no sales-db user named ${validName}`);
    return { name: validName, ...removed };
  }
}

function parseTeam(team: string): Team {
  if (!(TEAMS as readonly string[]).includes(team)) {
    throw new Error(`--team: must be one of ${TEAMS.join(', ')} (got ${JSON.stringify(team)})`);
  }
  return team as Team;
}

function parseName(name: string): string {
  if (!NAME.test(name) || name.startsWith('pg_') || name.startsWith('sales_')) {
    throw new Error(
      `--name: must be 3-63 characters of a-z, 0-9 and _, starting with a letter, not pg_* or sales_* (got ${JSON.stringify(name)})`,
    );
  }
  return name;
}
