import { MigrationInterface, QueryRunner } from 'typeorm';
import { WAREHOUSE_ROLES } from '../roles';

const { load, analyst } = WAREHOUSE_ROLES;

/**
 * The organic-share job's tables. marketing_daily: the source's daily rows, typed (dates as dates,
 * the INT96 load time as timestamptz, users as integers), keyed by (day, country, OS, channel);
 * fixed-width columns first (no alignment padding); the key's text columns compare bytewise
 * (COLLATE "C": codes and channel names need no linguistic order, and the key index is built
 * several times faster). organic_share_weekly: the published result,
 * replaced whole by each run inside its transaction. The load role may merge rows (UPDATE: a newer
 * delivery of a key replaces it) and replace the weekly table; analysts read both.
 */
export class CreateOrganicShareTables1764750000100 implements MigrationInterface {
  name = 'CreateOrganicShareTables1764750000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE warehouse.marketing_daily (
        start_date date NOT NULL,
        end_date date NOT NULL,
        dataplatform_inserted_at timestamptz NOT NULL,
        value integer NOT NULL CHECK (value >= 0),
        load_id integer NOT NULL,
        has_subtrackers boolean,
        country text COLLATE "C" NOT NULL,
        os_name text COLLATE "C" NOT NULL,
        name text COLLATE "C" NOT NULL,
        year_week text NOT NULL,
        token text,
        PRIMARY KEY (start_date, country, os_name, name)
      )`);
    await queryRunner.query(`
      CREATE TABLE warehouse.organic_share_weekly (
        week_start date NOT NULL,
        year smallint NOT NULL,
        week smallint NOT NULL,
        organic_users_p4w bigint NOT NULL,
        total_users_p4w bigint NOT NULL,
        share_organic_p4w numeric(7, 6),
        weeks_with_data_p4w smallint NOT NULL,
        computed_at timestamptz NOT NULL,
        country text COLLATE "C" NOT NULL,
        PRIMARY KEY (country, week_start)
      )`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON warehouse.marketing_daily TO ${load}`);
    await queryRunner.query(
      `GRANT SELECT, INSERT, DELETE ON warehouse.organic_share_weekly TO ${load}`,
    );
    await queryRunner.query(
      `GRANT SELECT ON warehouse.marketing_daily, warehouse.organic_share_weekly TO ${analyst}`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE warehouse.organic_share_weekly');
    await queryRunner.query('DROP TABLE warehouse.marketing_daily');
  }
}
