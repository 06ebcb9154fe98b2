import { escapeIdentifier, escapeLiteral, Pool } from 'pg';
import { generatePassword } from '../auth/password';
import { SalesRoles } from '../auth/teams';

/**
 * Makes sure the API's own LOGIN role exists (a member of the app role only, no superuser, no
 * team rights of its own) and returns a URL that logs in as it on the owner's server and
 * database. Its password is generated once and kept in `sales.service_logins`, which only the
 * owner can read, so every instance of the app on this database uses the same login.
 */
export async function ensureApiLogin(
  admin: Pool,
  roles: SalesRoles,
  ownerUrl: string,
): Promise<string> {
  const client = await admin.connect();
  try {
    await client.query('BEGIN');
    await client.query("SELECT pg_advisory_xact_lock(hashtext('sales-db:api-login'))");
    const { rows } = await client.query<{ password: string }>(
      'SELECT password FROM sales.service_logins WHERE role_name = $1',
      [roles.api],
    );
    const password = rows[0]?.password ?? generatePassword();
    if (!rows[0]) {
      await client.query('INSERT INTO sales.service_logins (role_name, password) VALUES ($1, $2)', [
        roles.api,
        password,
      ]);
    }
    const role = escapeIdentifier(roles.api);
    const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [roles.api]);
    await client.query(
      `${exists.rowCount ? 'ALTER' : 'CREATE'} ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${escapeLiteral(password)}`,
    );
    await client.query(`GRANT ${escapeIdentifier(roles.app)} TO ${role}`);
    await client.query('COMMIT');
    const url = new URL(ownerUrl);
    url.username = roles.api;
    url.password = password;
    return url.toString();
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
