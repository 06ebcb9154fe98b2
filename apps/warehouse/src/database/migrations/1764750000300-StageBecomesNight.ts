import { MigrationInterface, QueryRunner } from 'typeorm';
import { WAREHOUSE_ROLES } from '../roles';

const { load, analyst } = WAREHOUSE_ROLES;

/**
 * An empty stage with exactly the history's columns (so that it can become a partition), plus the
 * field after dbgen's trailing "|" (an empty string when a file has none, so no row needs a null
 * bitmap). Logged: it becomes history. Made by the migration and by every publish.
 */
const NEW_STAGE = `
  CREATE TABLE warehouse.supplier_stage
    (LIKE warehouse.supplier_data, s_trailing text NOT NULL DEFAULT '');
  GRANT SELECT, INSERT, TRUNCATE ON warehouse.supplier_stage TO ${load};
  REVOKE ALL ON warehouse.supplier_stage FROM ${analyst};`;

/** Only a run in progress: its id taken from the sequence, no run record yet. */
const REFUSE_UNLESS_RUN_IN_PROGRESS = `
  IF NOT coalesce(p_load_id BETWEEN 1 AND (SELECT last_value FROM warehouse.load_runs_id_seq), false)
     OR EXISTS (SELECT FROM warehouse.load_runs WHERE id = p_load_id) THEN
    RAISE EXCEPTION 'load % is not a run in progress', p_load_id;
  END IF;`;

/** A PL/pgSQL function of `p_load_id` that runs as the schema's owner, with a pinned search path. */
const definerFunction = (name: string, returns: string, body: string, settings = '') => `
  CREATE FUNCTION warehouse.${name}(p_load_id integer) RETURNS ${returns}
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp ${settings}
  AS $$ ${body} $$`;

/** A definer function only the load role may call. */
const forLoadRoleOnly = (fn: string) => `
  REVOKE ALL ON FUNCTION warehouse.${fn}(integer) FROM PUBLIC;
  GRANT EXECUTE ON FUNCTION warehouse.${fn}(integer) TO ${load}`;

const LATEST_VIEW = `
  CREATE VIEW warehouse.supplier_latest AS
    SELECT DISTINCT ON (s_suppkey) * FROM warehouse.supplier_data ORDER BY s_suppkey, load_id DESC;
  GRANT SELECT ON warehouse.supplier_latest TO ${analyst};`;

/**
 * The stage becomes the night's partition instead of being copied into it, so a night's rows are
 * written once (INSERT … SELECT wrote one WAL record per row and cost more than the COPY itself).
 *
 * - The history's amounts become unconstrained `numeric` (no rewrite: same bytes, the typmod is
 *   not stored per value), so a third decimal is kept for the checks to refuse instead of being
 *   rounded silently by COPY; the checks still hold amounts to the spec's range and two decimals.
 * - The stage gets the history's columns and NOT NULLs (COPY itself refuses an empty key or
 *   amount at its line and column) and is logged.
 * - `prepare_supplier_stage(load_id)` (after the load's TRUNCATE, on the empty stage) sets this
 *   load's `load_id` and `load_ts` (the transaction's time) as the stage's defaults, which COPY's
 *   column list leaves to them, and a CHECK (load_id = id) that proves the partition bound.
 * - `publish_supplier_stage(load_id)` drops the stage-only column and the defaults (catalog
 *   only), renames the stage to `supplier_data_<load_id>`, attaches it through
 *   `attach_supplier_night` (no validation scan; its primary key built in one sorted pass) and
 *   makes a fresh empty stage with the same grants. Building that key is the key-uniqueness
 *   check: a duplicate fails the publish with the check's message and figure.
 *
 * Both are SECURITY DEFINER functions of the schema's owner: the load role still owns nothing and
 * has no UPDATE, DELETE or TRUNCATE on history.
 */
export class StageBecomesNight1764750000300 implements MigrationInterface {
  name = 'StageBecomesNight1764750000300';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The view depends on the column's type; the stage is made anew with the history's columns.
    await queryRunner.query(`
      DROP VIEW warehouse.supplier_latest;
      ALTER TABLE warehouse.supplier_data ALTER COLUMN s_acctbal TYPE numeric;
      ${LATEST_VIEW}
      DROP TABLE warehouse.supplier_stage;
      ${NEW_STAGE}`);

    await queryRunner.query('DROP FUNCTION warehouse.supplier_night_partition(integer)');
    // Now called by publish_supplier_stage only.
    await queryRunner.query(
      `REVOKE EXECUTE ON FUNCTION warehouse.attach_supplier_night(integer) FROM ${load}`,
    );
    await queryRunner.query(
      definerFunction(
        'prepare_supplier_stage',
        'void',
        `BEGIN
        ${REFUSE_UNLESS_RUN_IN_PROGRESS}
        IF EXISTS (SELECT FROM warehouse.supplier_stage) THEN
          RAISE EXCEPTION 'warehouse.supplier_stage is not empty: truncate it first';
        END IF;
        EXECUTE format(
          'ALTER TABLE warehouse.supplier_stage ALTER load_ts SET DEFAULT %L::timestamptz,
             ALTER load_id SET DEFAULT %s, ADD CONSTRAINT %I CHECK (load_id = %s)',
          now(), p_load_id, 'supplier_data_' || p_load_id || '_load_id_check', p_load_id);
      END`,
        // The load_ts default is written as text: ISO, whatever the session's DateStyle.
        "SET datestyle = 'ISO, YMD'",
      ),
    );
    await queryRunner.query(
      definerFunction(
        'publish_supplier_stage',
        'text',
        `DECLARE
        night_table text := 'supplier_data_' || p_load_id;
      BEGIN
        IF NOT EXISTS (SELECT FROM pg_constraint
                       WHERE conrelid = to_regclass('warehouse.supplier_stage')
                         AND conname = night_table || '_load_id_check') THEN
          RAISE EXCEPTION 'warehouse.supplier_stage was not prepared for load %', p_load_id;
        END IF;
        ALTER TABLE warehouse.supplier_stage
          DROP COLUMN s_trailing, ALTER load_ts DROP DEFAULT, ALTER load_id DROP DEFAULT;
        EXECUTE format('ALTER TABLE warehouse.supplier_stage RENAME TO %I', night_table);
        EXECUTE format('REVOKE ALL ON warehouse.%I FROM ${load}', night_table);
        EXECUTE format('GRANT SELECT ON warehouse.%I TO ${analyst}', night_table);
        PERFORM warehouse.attach_supplier_night(p_load_id);
        ${NEW_STAGE}
        RETURN 'warehouse.' || night_table;
      EXCEPTION WHEN unique_violation THEN
        -- The primary key (s_suppkey, load_id) proves the keys unique within the load; a
        -- duplicate fails as the key_unique check, with its figure (the stage is back as it was).
        RAISE EXCEPTION USING ERRCODE = 'unique_violation', MESSAGE = format(
          'data-quality check failed: key_unique (%s: s_suppkey is unique within the load)',
          (SELECT count(s_suppkey) - count(DISTINCT s_suppkey) FROM warehouse.supplier_stage));
      END`,
      ),
    );
    for (const fn of ['prepare_supplier_stage', 'publish_supplier_stage']) {
      await queryRunner.query(forLoadRoleOnly(fn));
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP FUNCTION warehouse.publish_supplier_stage(integer)');
    await queryRunner.query('DROP FUNCTION warehouse.prepare_supplier_stage(integer)');
    // The earlier way: an empty night table the load role fills by INSERT, then attaches.
    await queryRunner.query(
      definerFunction(
        'supplier_night_partition',
        'text',
        `BEGIN
        ${REFUSE_UNLESS_RUN_IN_PROGRESS}
        EXECUTE format('CREATE TABLE warehouse.%I (LIKE warehouse.supplier_data, CHECK (load_id = %s));
                        GRANT INSERT ON warehouse.%1$I TO ${load}',
                       'supplier_data_' || p_load_id, p_load_id);
        RETURN 'warehouse.supplier_data_' || p_load_id;
      END`,
      ),
    );
    await queryRunner.query(forLoadRoleOnly('supplier_night_partition'));
    await queryRunner.query(forLoadRoleOnly('attach_supplier_night'));
    // The earlier stage: unlogged, the seven wide columns and the trailing field, all nullable.
    await queryRunner.query(`
      DROP TABLE warehouse.supplier_stage;
      CREATE UNLOGGED TABLE warehouse.supplier_stage AS
        SELECT s_suppkey, s_name, s_address, s_nationkey, s_phone, s_acctbal, s_comment,
          NULL::text AS s_trailing
        FROM warehouse.supplier_data WITH NO DATA;
      GRANT SELECT, INSERT, TRUNCATE ON warehouse.supplier_stage TO ${load};
      REVOKE ALL ON warehouse.supplier_stage FROM ${analyst}`);
    await queryRunner.query('DROP VIEW warehouse.supplier_latest');
    // Rewrites the history (amounts were checked to two decimals, so nothing is rounded).
    await queryRunner.query(
      'ALTER TABLE warehouse.supplier_data ALTER COLUMN s_acctbal TYPE numeric(12, 2)',
    );
    await queryRunner.query(LATEST_VIEW);
  }
}
