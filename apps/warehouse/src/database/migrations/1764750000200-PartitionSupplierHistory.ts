import { MigrationInterface, QueryRunner } from 'typeorm';
import { WAREHOUSE_ROLES } from '../roles';

const { load, analyst } = WAREHOUSE_ROLES;

const COLUMNS = `
  load_ts timestamptz NOT NULL,
  load_id integer NOT NULL,
  s_suppkey integer NOT NULL,
  s_nationkey smallint NOT NULL,
  s_acctbal numeric(12, 2) NOT NULL,
  s_name text NOT NULL,
  s_address text NOT NULL,
  s_phone text NOT NULL,
  s_comment text NOT NULL`;

const LATEST_VIEW = `
  CREATE VIEW warehouse.supplier_latest AS
    SELECT DISTINCT ON (s_suppkey) *
    FROM warehouse.supplier_data
    ORDER BY s_suppkey, load_id DESC`;

/**
 * The supplier history, partitioned by load (RANGE on load_id, one partition per loaded night).
 * Appending a night into one shared primary key cost as much as the COPY and grew with every night
 * (its keys land between the earlier nights' entries); now each night is written into a fresh,
 * index-free table and attached once checked: its primary-key index is built in one sorted pass,
 * and ATTACH takes only a SHARE UPDATE EXCLUSIVE lock, so analysts keep reading during a load.
 *
 * Least privilege stays: the load role cannot create tables. Two SECURITY DEFINER functions owned
 * by the schema's owner do only the DDL: `supplier_night_partition(load_id)` (an id the sequence
 * gave out and no run record holds yet) makes the empty table
 * `supplier_data_<load_id>` (CHECK load_id = that id) that the load role may INSERT into, and
 * `attach_supplier_night(load_id)` withdraws that INSERT and attaches it. The load role keeps no
 * UPDATE, DELETE or TRUNCATE on any of it. History loaded before this migration stays as the
 * partition `supplier_data_before_partitioning`.
 */
export class PartitionSupplierHistory1764750000200 implements MigrationInterface {
  name = 'PartitionSupplierHistory1764750000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP VIEW warehouse.supplier_latest');
    await queryRunner.query(
      'ALTER TABLE warehouse.supplier_data RENAME TO supplier_data_before_partitioning',
    );
    await queryRunner.query(
      'ALTER INDEX warehouse.supplier_data_pkey RENAME TO supplier_data_before_partitioning_pkey',
    );
    await queryRunner.query(
      `CREATE TABLE warehouse.supplier_data (${COLUMNS}) PARTITION BY RANGE (load_id)`,
    );
    await queryRunner.query(
      'ALTER TABLE warehouse.supplier_data ADD PRIMARY KEY (s_suppkey, load_id)',
    );
    const [{ next }] = (await queryRunner.query(
      'SELECT max(load_id) + 1 AS next FROM warehouse.supplier_data_before_partitioning',
    )) as Array<{ next: number | null }>;
    if (next === null) {
      await queryRunner.query('DROP TABLE warehouse.supplier_data_before_partitioning');
    } else {
      // Later load ids come from the run records' sequence, so they are all above this bound.
      await queryRunner.query(`
        ALTER TABLE warehouse.supplier_data ATTACH PARTITION
          warehouse.supplier_data_before_partitioning FOR VALUES FROM (MINVALUE) TO (${next})`);
      await queryRunner.query(
        `REVOKE ALL ON warehouse.supplier_data_before_partitioning FROM ${load}`,
      );
    }
    await queryRunner.query(LATEST_VIEW);
    await queryRunner.query(
      `GRANT SELECT ON warehouse.supplier_data, warehouse.supplier_latest TO ${analyst}`,
    );

    await queryRunner.query(`
      CREATE FUNCTION warehouse.supplier_night_partition(p_load_id integer) RETURNS text
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
      DECLARE
        night_table text := 'supplier_data_' || p_load_id;
      BEGIN
        -- Only for a run in progress: its id is taken from the sequence but not yet recorded.
        IF p_load_id IS NULL OR p_load_id < 1
           OR p_load_id > (SELECT last_value FROM warehouse.load_runs_id_seq)
           OR EXISTS (SELECT FROM warehouse.load_runs WHERE id = p_load_id) THEN
          RAISE EXCEPTION 'load % is not a run in progress', p_load_id;
        END IF;
        EXECUTE format(
          'CREATE TABLE warehouse.%I (LIKE warehouse.supplier_data, CHECK (load_id = %s))',
          night_table, p_load_id);
        EXECUTE format('GRANT INSERT ON warehouse.%I TO ${load}', night_table);
        RETURN 'warehouse.' || night_table;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION warehouse.attach_supplier_night(p_load_id integer) RETURNS void
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
      DECLARE
        night_table text := 'supplier_data_' || p_load_id;
      BEGIN
        IF to_regclass('warehouse.' || night_table) IS NULL
           OR EXISTS (SELECT FROM pg_inherits
                      WHERE inhrelid = to_regclass('warehouse.' || night_table)) THEN
          RAISE EXCEPTION 'warehouse.% is not a night waiting to be attached', night_table;
        END IF;
        EXECUTE format('REVOKE INSERT ON warehouse.%I FROM ${load}', night_table);
        -- The CHECK proves the bound, so ATTACH skips its validation scan; it builds the index.
        EXECUTE format(
          'ALTER TABLE warehouse.supplier_data ATTACH PARTITION warehouse.%I FOR VALUES FROM (%s) TO (%s)',
          night_table, p_load_id, p_load_id + 1);
      END $$`);
    for (const fn of ['supplier_night_partition', 'attach_supplier_night']) {
      await queryRunner.query(`REVOKE ALL ON FUNCTION warehouse.${fn}(integer) FROM PUBLIC`);
      await queryRunner.query(`GRANT EXECUTE ON FUNCTION warehouse.${fn}(integer) TO ${load}`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP FUNCTION warehouse.attach_supplier_night(integer)');
    await queryRunner.query('DROP FUNCTION warehouse.supplier_night_partition(integer)');
    await queryRunner.query('DROP VIEW warehouse.supplier_latest');
    await queryRunner.query(`CREATE TABLE warehouse.supplier_data_unpartitioned (${COLUMNS})`);
    await queryRunner.query(
      'INSERT INTO warehouse.supplier_data_unpartitioned SELECT * FROM warehouse.supplier_data',
    );
    await queryRunner.query('DROP TABLE warehouse.supplier_data');
    await queryRunner.query(
      'ALTER TABLE warehouse.supplier_data_unpartitioned RENAME TO supplier_data',
    );
    await queryRunner.query(
      'ALTER TABLE warehouse.supplier_data ADD PRIMARY KEY (s_suppkey, load_id)',
    );
    await queryRunner.query(
      'CREATE INDEX supplier_data_load_brin ON warehouse.supplier_data USING brin (load_id)',
    );
    await queryRunner.query(LATEST_VIEW);
    await queryRunner.query(`GRANT INSERT ON warehouse.supplier_data TO ${load}`);
    await queryRunner.query(
      `GRANT SELECT ON warehouse.supplier_data, warehouse.supplier_latest TO ${analyst}`,
    );
  }
}
