import { Client, DatabaseError } from 'pg';
import { WAREHOUSE_ROLES, WarehouseRole } from '../database/roles';

/**
 * Login roles for people and processes: a LOGIN role that is a member of one warehouse group role
 * (`warehouse_load` for the load, `warehouse_analyst` for analysts) and holds nothing of its own.
 * Runs on an administrator's connection; the password is passed as a literal and never logged.
 */
export class LoginsRepository {
  constructor(private readonly client: Client) {}

  async create(name: string, role: WarehouseRole, password: string): Promise<void> {
    const { client } = this;
    try {
      // Role names and passwords cannot be bound as parameters in DDL; both are escaped.
      await client.query(
        `CREATE ROLE ${client.escapeIdentifier(name)} LOGIN PASSWORD ${client.escapeLiteral(password)}
         IN ROLE ${WAREHOUSE_ROLES[role]}`,
      );
    } catch (error) {
      if (error instanceof DatabaseError && error.code === '42710') {
        throw new Error(`a role named ${name} already exists on this PostgreSQL server`);
      }
      throw error;
    }
  }

  /** Drops a login made by `create`; refuses any other role, so it cannot drop an unrelated one. */
  async drop(name: string): Promise<boolean> {
    const { client } = this;
    const { rows } = await client.query<{ member: boolean }>(
      `SELECT EXISTS (
         SELECT 1 FROM pg_auth_members m
         JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles r ON r.oid = m.member
         WHERE r.rolname = $1 AND g.rolname = ANY($2)) AS member`,
      [name, Object.values(WAREHOUSE_ROLES)],
    );
    if (!rows[0].member) return false;
    await client.query(`DROP ROLE ${client.escapeIdentifier(name)}`);
    return true;
  }
}

/** Login names: lower-case PostgreSQL identifiers, so they need no quoting in a URL or psql. */
export const LOGIN_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
