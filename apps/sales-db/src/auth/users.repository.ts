import { ClientBase, DatabaseError } from 'pg';
import { SalesRoles, salesRoles, Team } from './teams';

/**
 * Creates and removes the LOGIN roles of team members. Runs with the administrator login
 * (DATABASE_URL), the only one allowed to create roles.
 */
export class UsersRepository {
  constructor(private readonly client: ClientBase) {}

  /** The roles of the database this client is connected to. */
  private async roles(): Promise<SalesRoles> {
    const { rows } = await this.client.query<{ name: string }>('SELECT current_database() AS name');
    return salesRoles(rows[0].name);
  }

  async create(name: string, team: Team, password: string, passwordHash: string): Promise<void> {
    const { client } = this;
    const roles = await this.roles();
    await client.query('BEGIN');
    try {
      // Role names and passwords cannot be bound as parameters in DDL; both are escaped.
      await client.query(
        `CREATE ROLE ${client.escapeIdentifier(name)} LOGIN PASSWORD ${client.escapeLiteral(password)} IN ROLE ${roles.teams[team]}`,
      );
      // The API switches to this role per request (SET LOCAL ROLE), which needs the membership.
      await client.query(`GRANT ${client.escapeIdentifier(name)} TO ${roles.app}`);
      await client.query(
        'INSERT INTO sales.api_users (name, team, password_hash) VALUES ($1, $2, $3)',
        [name, team, passwordHash],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      if (error instanceof DatabaseError && error.code === '42710') {
        throw new Error(`a role named ${name} already exists on this PostgreSQL server`);
      }
      throw error;
    }
  }

  /** Returns the removed user's team, or undefined when no such sales-db user exists. */
  async remove(name: string): Promise<{ team: Team; dropped: boolean } | undefined> {
    const { client } = this;
    const role = client.escapeIdentifier(name);
    const roles = await this.roles();
    await client.query('BEGIN');
    try {
      const { rows } = await client.query<{ team: Team }>(
        'DELETE FROM sales.api_users WHERE name = $1 RETURNING team',
        [name],
      );
      if (!rows[0]) {
        await client.query('ROLLBACK');
        return undefined;
      }
      await client.query(`REVOKE ${roles.teams[rows[0].team]} FROM ${role}`);
      await client.query('SAVEPOINT drop_role');
      let dropped = true;
      try {
        await client.query(`DROP ROLE ${role}`);
      } catch (error) {
        // Still owning something elsewhere: keep the role but take away its login.
        if (!(error instanceof DatabaseError) || error.code !== '2BP01') throw error;
        await client.query('ROLLBACK TO SAVEPOINT drop_role');
        await client.query(`ALTER ROLE ${role} NOLOGIN`);
        dropped = false;
      }
      await client.query('COMMIT');
      return { team: rows[0].team, dropped };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }
}
