import { MigrationInterface, QueryRunner } from 'typeorm';
import { Team } from '../../auth/teams';

/** The server-wide role names of this migration; `DatabaseScopedRoles` replaces them per database. */
export const LEGACY_ROLES: { teams: Record<Team, string>; app: string } = {
  teams: {
    logistics: 'sales_db_logistics',
    analytics: 'sales_db_analytics',
    sales: 'sales_db_sales',
    checkout: 'sales_db_checkout',
  },
  app: 'sales_db_app',
};

/** Creates the team roles and the app role when missing (another database may have made them). */
export async function createTeamRoles(
  queryRunner: QueryRunner,
  roles: { teams: Record<Team, string>; app: string },
): Promise<void> {
  for (const role of [...Object.values(roles.teams), roles.app]) {
    // NOINHERIT for the app role: it may switch to a team role but holds none of their rights.
    const options = role === roles.app ? 'NOLOGIN NOINHERIT' : 'NOLOGIN';
    await queryRunner.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN
          CREATE ROLE ${role} ${options};
        END IF;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- created concurrently
      END $$`);
  }
  for (const role of Object.values(roles.teams)) {
    await queryRunner.query(`
      DO $$ BEGIN
        GRANT ${role} TO ${roles.app};
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
      END $$`);
  }
}

/** Each team's privileges in this database (what the issue grants, plus checkout's purchases). */
export async function grantTeamPrivileges(
  queryRunner: QueryRunner,
  roles: { teams: Record<Team, string>; app: string },
): Promise<void> {
  const { logistics, analytics, sales, checkout } = roles.teams;
  const allRoles = [...Object.values(roles.teams), roles.app];
  await queryRunner.query('REVOKE ALL ON SCHEMA sales FROM PUBLIC');
  await queryRunner.query('REVOKE ALL ON ALL TABLES IN SCHEMA sales FROM PUBLIC');
  await queryRunner.query('REVOKE ALL ON ALL SEQUENCES IN SCHEMA sales FROM PUBLIC');
  await queryRunner.query('REVOKE ALL ON ALL FUNCTIONS IN SCHEMA sales FROM PUBLIC');
  await queryRunner.query(`GRANT USAGE ON SCHEMA sales TO ${allRoles.join(', ')}`);
  // Logistics: sales details (transactions, their lines and items, total weights); may only
  // mark transactions completed.
  await queryRunner.query(
    `GRANT SELECT ON sales.transactions, sales.transaction_lines, sales.items TO ${logistics}`,
  );
  await queryRunner.query(
    `GRANT UPDATE (status, completed_at) ON sales.transactions TO ${logistics}`,
  );
  // Analytics: reads all sales and membership data, writes nothing.
  await queryRunner.query(
    `GRANT SELECT ON sales.items, sales.members, sales.transactions, sales.transaction_lines,
       sales.member_spending, sales.item_popularity TO ${analytics}`,
  );
  // Sales: the item catalogue (a hard DELETE is refused by the foreign keys once sold).
  await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON sales.items TO ${sales}`);
  await queryRunner.query(`GRANT USAGE ON SEQUENCE sales.items_id_seq TO ${sales}`);
  // Checkout (the storefront): records purchases; reads items for prices, members to check them.
  await queryRunner.query(`GRANT SELECT ON sales.items, sales.members TO ${checkout}`);
  await queryRunner.query(
    `GRANT SELECT, INSERT ON sales.transactions, sales.transaction_lines TO ${checkout}`,
  );
  await queryRunner.query(`GRANT USAGE ON SEQUENCE sales.transactions_id_seq TO ${checkout}`);
  // The app's own bookkeeping: verifying API credentials.
  await queryRunner.query(`GRANT SELECT ON sales.api_users TO ${roles.app}`);
}

/**
 * Revokes everything `roles` hold in this database and drops each one that no other database
 * still grants anything (those are kept, with a notice).
 */
export async function revokeAndDropRoles(queryRunner: QueryRunner, roles: string[]): Promise<void> {
  const list = roles.join(', ');
  await queryRunner.query(`REVOKE ALL ON ALL TABLES IN SCHEMA sales FROM ${list}`);
  await queryRunner.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA sales FROM ${list}`);
  await queryRunner.query(`REVOKE ALL ON ALL FUNCTIONS IN SCHEMA sales FROM ${list}`);
  await queryRunner.query(`REVOKE ALL ON SCHEMA sales FROM ${list}`);
  for (const role of roles) {
    await queryRunner.query(`
      DO $$ BEGIN
        DROP ROLE IF EXISTS ${role};
      EXCEPTION WHEN dependent_objects_still_exist THEN
        RAISE NOTICE 'role ${role} kept: another database still grants it privileges';
      END $$`);
  }
}

/**
 * The team group roles and their privileges: PostgreSQL itself decides what each team may do.
 * Roles are cluster-wide, so they are created only when missing (another database on the same
 * server may already have them) and dropped on the way down only when no other database still
 * grants them anything. Privileges are per database and are granted here.
 */
export class TeamRoles1763740000002 implements MigrationInterface {
  name = 'TeamRoles1763740000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createTeamRoles(queryRunner, LEGACY_ROLES);
    await grantTeamPrivileges(queryRunner, LEGACY_ROLES);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await revokeAndDropRoles(queryRunner, [...Object.values(LEGACY_ROLES.teams), LEGACY_ROLES.app]);
  }
}
