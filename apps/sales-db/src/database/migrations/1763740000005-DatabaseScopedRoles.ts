import { MigrationInterface, QueryRunner } from 'typeorm';
import { SalesRoles, salesRoles } from '../../auth/teams';
import {
  createTeamRoles,
  grantTeamPrivileges,
  LEGACY_ROLES,
  revokeAndDropRoles,
} from './1763740000002-TeamRoles';
import { guardTrigger } from './1763740000003-CompletionIsFinal';

type Roles = { teams: SalesRoles['teams']; app: string };

const GUARDED_COLUMNS = [
  'total_price',
  'total_weight_kg',
  'line_count',
  'item_count',
  'member_id',
  'purchased_at',
  'id',
];
const row = (prefix: string) => GUARDED_COLUMNS.map((column) => `${prefix}.${column}`).join(', ');

/** The functions the triggers run with their owner's rights; the system role owns them. */
const SYSTEM_FUNCTIONS = ['apply_new_lines()', 'check_new_transactions()'];

/**
 * Issue 21: no team login may rewrite history, and roles belong to one database.
 *
 * - Team roles, the app role and a new system role are named per database
 *   (`sales_<database>_<team>`); existing users move to them and the server-wide `sales_db_*`
 *   roles are dropped once no database uses them. CONNECT and TEMPORARY on the database are
 *   revoked from PUBLIC; CONNECT is granted to this database's roles only.
 * - The history guards no longer trust `pg_trigger_depth()` (any login could nest its own
 *   statement in a trigger): they let through exactly the system role, which owns the
 *   SECURITY DEFINER functions that recompute totals and which no team login can become.
 * - Lines can be added only to a pending transaction (the system role's bulk path excepted).
 * - Checkout inserts transactions naming the member only: id, purchase time, status and
 *   completion come from the database (column-level INSERT grant).
 * - A sold item keeps its name and manufacturer: renaming it is refused with a message that
 *   says to retire it and create a new item.
 * - `sales.require_credential` lets the API check, inside each request's own round trip, that
 *   the credential it cached is still the stored one.
 * - `sales.service_logins` keeps the generated password of the API's own login (owner-only).
 */
export class DatabaseScopedRoles1763740000005 implements MigrationInterface {
  name = 'DatabaseScopedRoles1763740000005';

  async up(queryRunner: QueryRunner): Promise<void> {
    const roles = salesRoles(await currentDatabase(queryRunner));
    await createTeamRoles(queryRunner, roles);
    await grantTeamPrivileges(queryRunner, roles);
    await moveUsers(queryRunner, LEGACY_ROLES, roles);
    await revokeAndDropRoles(queryRunner, [...Object.values(LEGACY_ROLES.teams), LEGACY_ROLES.app]);
    await this.restrictDatabase(queryRunner, roles);
    await this.createSystemRole(queryRunner, roles);

    const { checkout } = roles.teams;
    await queryRunner.query(`REVOKE INSERT ON sales.transactions FROM ${checkout}`);
    await queryRunner.query(`GRANT INSERT (member_id) ON sales.transactions TO ${checkout}`);

    await queryRunner.query('DROP TRIGGER transactions_guard_updates ON sales.transactions');
    await queryRunner.query(`
      CREATE TRIGGER transactions_guard_updates BEFORE UPDATE ON sales.transactions FOR EACH ROW
      WHEN (current_user <> '${roles.system}' AND (
        (${row('OLD')}) IS DISTINCT FROM (${row('NEW')})
        OR (OLD.status = 'completed'
            AND (NEW.status, NEW.completed_at) IS DISTINCT FROM (OLD.status, OLD.completed_at))))
      EXECUTE FUNCTION sales.refuse_transaction_change()`);

    await queryRunner.query(`
      CREATE FUNCTION sales.refuse_lines_on_closed() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = sales, pg_temp AS $fn$
      DECLARE
        closed bigint;
      BEGIN
        SELECT min(t.id) INTO closed
          FROM new_lines n JOIN transactions t ON t.id = n.transaction_id
         WHERE t.status <> 'pending';
        IF closed IS NOT NULL THEN
          RAISE EXCEPTION 'lines can only be added to a pending transaction (transaction % is completed)', closed
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END
      $fn$`);
    // The WHEN runs before the function, as the inserting role: the system role's bulk path
    // (historical imports of completed sales) skips the check and its cost.
    await queryRunner.query(`
      CREATE TRIGGER lines_only_while_pending AFTER INSERT ON sales.transaction_lines
      REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT
      WHEN (current_user <> '${roles.system}')
      EXECUTE FUNCTION sales.refuse_lines_on_closed()`);

    await queryRunner.query(`
      CREATE FUNCTION sales.refuse_sold_item_rename() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = sales, pg_temp AS $fn$
      BEGIN
        IF EXISTS (SELECT 1 FROM transaction_lines WHERE item_id = OLD.id) THEN
          RAISE EXCEPTION 'item % was sold, so its name and manufacturer identify past sales: retire it and create a new item instead', OLD.id
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END
      $fn$`);
    await queryRunner.query(`
      CREATE TRIGGER items_sold_keep_identity BEFORE UPDATE ON sales.items FOR EACH ROW
      WHEN ((OLD.name, OLD.manufacturer) IS DISTINCT FROM (NEW.name, NEW.manufacturer))
      EXECUTE FUNCTION sales.refuse_sold_item_rename()`);

    for (const fn of [
      ...SYSTEM_FUNCTIONS,
      'refuse_lines_on_closed()',
      'refuse_sold_item_rename()',
    ]) {
      await queryRunner.query(`ALTER FUNCTION sales.${fn} OWNER TO ${roles.system}`);
    }
    for (const [table, trigger] of [
      ['transactions', 'transactions_guard_updates'],
      ['transaction_lines', 'lines_only_while_pending'],
      ['items', 'items_sold_keep_identity'],
    ]) {
      await queryRunner.query(`ALTER TABLE sales.${table} ENABLE ALWAYS TRIGGER ${trigger}`);
    }

    await queryRunner.query(`
      CREATE FUNCTION sales.require_credential(user_name text, credential text) RETURNS void
      LANGUAGE plpgsql STABLE SET search_path = sales, pg_temp AS $fn$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM api_users WHERE name = user_name AND password_hash = credential) THEN
          RAISE EXCEPTION 'the credentials of % changed or were removed', user_name
            USING ERRCODE = 'invalid_password';
        END IF;
      END
      $fn$`);
    await queryRunner.query(
      `GRANT EXECUTE ON FUNCTION sales.require_credential(text, text) TO ${roles.app}`,
    );

    await queryRunner.query(`
      CREATE TABLE sales.service_logins (
        role_name varchar(63) NOT NULL,
        password varchar(100) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_service_logins" PRIMARY KEY (role_name)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const roles = salesRoles(await currentDatabase(queryRunner));
    await queryRunner.query('DROP TABLE sales.service_logins');
    await queryRunner.query('DROP FUNCTION sales.require_credential(text, text)');
    await queryRunner.query('DROP TRIGGER items_sold_keep_identity ON sales.items');
    await queryRunner.query('DROP FUNCTION sales.refuse_sold_item_rename()');
    await queryRunner.query('DROP TRIGGER lines_only_while_pending ON sales.transaction_lines');
    await queryRunner.query('DROP FUNCTION sales.refuse_lines_on_closed()');
    await queryRunner.query('DROP TRIGGER transactions_guard_updates ON sales.transactions');
    await queryRunner.query(guardTrigger(true));
    await queryRunner.query(
      'ALTER TABLE sales.transactions ENABLE ALWAYS TRIGGER transactions_guard_updates',
    );
    for (const fn of SYSTEM_FUNCTIONS) {
      await queryRunner.query(`ALTER FUNCTION sales.${fn} OWNER TO CURRENT_USER`);
    }
    await queryRunner.query(`
      DO $$ BEGIN
        EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO PUBLIC', current_database());
      END $$`);
    await createTeamRoles(queryRunner, LEGACY_ROLES);
    await grantTeamPrivileges(queryRunner, LEGACY_ROLES);
    await moveUsers(queryRunner, roles, LEGACY_ROLES);
    await queryRunner.query(`
      DO $$ BEGIN
        EXECUTE format('REVOKE ALL ON DATABASE %I FROM ${[...Object.values(roles.teams), roles.app, roles.system].join(', ')}', current_database());
      END $$`);
    await queryRunner.query(`DROP ROLE IF EXISTS ${roles.api}`);
    await revokeAndDropRoles(queryRunner, [...Object.values(roles.teams), roles.app, roles.system]);
  }

  private async restrictDatabase(queryRunner: QueryRunner, roles: SalesRoles): Promise<void> {
    const connecting = [...Object.values(roles.teams), roles.app].join(', ');
    await queryRunner.query(`
      DO $$ BEGIN
        EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
        EXECUTE format('GRANT CONNECT ON DATABASE %I TO ${connecting}', current_database());
      END $$`);
  }

  /** The role that owns the triggers' functions and runs bulk loads: exactly the rights they use. */
  private async createSystemRole(queryRunner: QueryRunner, roles: SalesRoles): Promise<void> {
    const { system } = roles;
    await queryRunner.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${system}') THEN
          CREATE ROLE ${system} NOLOGIN NOINHERIT;
        END IF;
        -- A non-superuser migrating login must be a member to hand over functions and bulk-load.
        IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
          EXECUTE format('GRANT ${system} TO %I', current_user);
        END IF;
      END $$`);
    await queryRunner.query(`GRANT USAGE, CREATE ON SCHEMA sales TO ${system}`);
    await queryRunner.query(
      `GRANT SELECT ON sales.items, sales.members, sales.transactions, sales.transaction_lines,
         sales.member_spending, sales.item_popularity TO ${system}`,
    );
    await queryRunner.query(
      `GRANT INSERT, UPDATE ON sales.transactions, sales.member_spending, sales.item_popularity TO ${system}`,
    );
    await queryRunner.query(`GRANT INSERT ON sales.transaction_lines TO ${system}`);
    await queryRunner.query(`GRANT USAGE ON SEQUENCE sales.transactions_id_seq TO ${system}`);
  }
}

async function currentDatabase(queryRunner: QueryRunner): Promise<string> {
  const [{ name }] = await queryRunner.query('SELECT current_database() AS name');
  return name;
}

/** Moves every API user's team membership (and the app's right to switch to it) between role sets. */
async function moveUsers(queryRunner: QueryRunner, from: Roles, to: Roles): Promise<void> {
  const users: { name: string; team: keyof Roles['teams'] }[] = await queryRunner.query(
    `SELECT u.name, u.team FROM sales.api_users u JOIN pg_roles r ON r.rolname = u.name`,
  );
  for (const user of users) {
    const role = `"${user.name.replace(/"/g, '""')}"`;
    await queryRunner.query(`GRANT ${to.teams[user.team]} TO ${role}`);
    await queryRunner.query(`GRANT ${role} TO ${to.app}`);
    await queryRunner.query(`
      DO $$ BEGIN
        REVOKE ${from.teams[user.team]} FROM ${role};
        REVOKE ${role} FROM ${from.app};
      EXCEPTION WHEN undefined_object THEN NULL;
      END $$`);
  }
}
