import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE, TEAM_ROLES } from '../../auth/teams';

const teamRoles = Object.values(TEAM_ROLES);
const allRoles = [...teamRoles, APP_ROLE];

/**
 * The team group roles and their privileges: PostgreSQL itself decides what each team may do.
 * Roles are cluster-wide, so they are created only when missing (another database on the same
 * server may already have them) and dropped on the way down only when no other database still
 * grants them anything. Privileges are per database and are granted here.
 */
export class TeamRoles1763740000002 implements MigrationInterface {
  name = 'TeamRoles1763740000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const role of allRoles) {
      // NOINHERIT for the app role: it may switch to a team role but holds none of their rights.
      const options = role === APP_ROLE ? 'NOLOGIN NOINHERIT' : 'NOLOGIN';
      await queryRunner.query(`
        DO $$ BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN
            CREATE ROLE ${role} ${options};
          END IF;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- created concurrently
        END $$`);
    }
    for (const role of teamRoles) {
      await queryRunner.query(`
        DO $$ BEGIN
          GRANT ${role} TO ${APP_ROLE};
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END $$`);
    }

    await queryRunner.query('REVOKE ALL ON SCHEMA sales FROM PUBLIC');
    await queryRunner.query('REVOKE ALL ON ALL TABLES IN SCHEMA sales FROM PUBLIC');
    await queryRunner.query('REVOKE ALL ON ALL SEQUENCES IN SCHEMA sales FROM PUBLIC');
    await queryRunner.query('REVOKE ALL ON ALL FUNCTIONS IN SCHEMA sales FROM PUBLIC');
    await queryRunner.query(`GRANT USAGE ON SCHEMA sales TO ${allRoles.join(', ')}`);

    const { logistics, analytics, sales, checkout } = TEAM_ROLES;
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
    await queryRunner.query(`GRANT SELECT ON sales.api_users TO ${APP_ROLE}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const roles = allRoles.join(', ');
    await queryRunner.query(`REVOKE ALL ON ALL TABLES IN SCHEMA sales FROM ${roles}`);
    await queryRunner.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA sales FROM ${roles}`);
    await queryRunner.query(`REVOKE ALL ON SCHEMA sales FROM ${roles}`);
    for (const role of allRoles) {
      await queryRunner.query(`
        DO $$ BEGIN
          DROP ROLE IF EXISTS ${role};
        EXCEPTION WHEN dependent_objects_still_exist THEN
          RAISE NOTICE 'role ${role} kept: another database still grants it privileges';
        END $$`);
    }
  }
}
