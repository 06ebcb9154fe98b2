import { MigrationInterface, QueryRunner } from 'typeorm';
import { createRoleIfMissing, dropRoleIfUnused, WAREHOUSE_ROLES } from '../roles';

const { load, analyst } = WAREHOUSE_ROLES;

/**
 * Least privilege, enforced by PostgreSQL: the load role may empty and fill the stage and append
 * to history and to the load records, nothing else (no UPDATE or DELETE anywhere, so history
 * cannot be rewritten by a load); the analyst role reads and writes nothing.
 */
export class WarehouseRoles1764750000002 implements MigrationInterface {
  name = 'WarehouseRoles1764750000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const role of [load, analyst]) await queryRunner.query(createRoleIfMissing(role));
    // The migrating login may switch to the load role (SET ROLE) when no dedicated login is set.
    await queryRunner.query(`
      DO $$ BEGIN
        GRANT ${load} TO CURRENT_USER;
      EXCEPTION WHEN duplicate_object OR unique_violation OR invalid_grant_operation THEN NULL;
      END $$`);
    await queryRunner.query('REVOKE ALL ON SCHEMA warehouse FROM PUBLIC');
    await queryRunner.query('REVOKE ALL ON ALL TABLES IN SCHEMA warehouse FROM PUBLIC');
    await queryRunner.query(`GRANT USAGE ON SCHEMA warehouse TO ${load}, ${analyst}`);

    await queryRunner.query(
      `GRANT SELECT, INSERT, TRUNCATE ON warehouse.supplier_stage TO ${load}`,
    );
    await queryRunner.query(`GRANT INSERT ON warehouse.supplier_data TO ${load}`);
    // SELECT: the "already loaded?" question and the load's own record.
    await queryRunner.query(`GRANT SELECT, INSERT ON warehouse.load_runs TO ${load}`);
    await queryRunner.query(`GRANT USAGE ON SEQUENCE warehouse.load_runs_id_seq TO ${load}`);

    await queryRunner.query(`GRANT SELECT ON ALL TABLES IN SCHEMA warehouse TO ${analyst}`);
    await queryRunner.query(`REVOKE SELECT ON warehouse.supplier_stage FROM ${analyst}`);
    // Tables later jobs add are readable by analysts without another grant.
    await queryRunner.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA warehouse GRANT SELECT ON TABLES TO ${analyst}`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA warehouse REVOKE SELECT ON TABLES FROM ${analyst}`,
    );
    for (const role of [load, analyst]) {
      await queryRunner.query(`REVOKE ALL ON ALL TABLES IN SCHEMA warehouse FROM ${role}`);
      await queryRunner.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA warehouse FROM ${role}`);
      await queryRunner.query(`REVOKE ALL ON SCHEMA warehouse FROM ${role}`);
      await queryRunner.query(dropRoleIfUnused(role));
    }
  }
}
