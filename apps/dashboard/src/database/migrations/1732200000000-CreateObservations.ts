import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateObservations1732200000000 implements MigrationInterface {
  name = 'CreateObservations1732200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE covid.observations (
        country varchar(64) NOT NULL,
        date date NOT NULL,
        confirmed integer NOT NULL,
        deaths integer NOT NULL,
        source varchar(16) NOT NULL,
        CONSTRAINT "PK_covid_observations" PRIMARY KEY (country, date)
      )`);
    await queryRunner.query(`
      CREATE TABLE covid.refreshes (
        id SERIAL NOT NULL,
        source varchar(16) NOT NULL,
        started_at timestamptz NOT NULL,
        finished_at timestamptz NOT NULL,
        ok boolean NOT NULL,
        rows integer NOT NULL,
        data_as_of date,
        checksum varchar(64),
        error text,
        CONSTRAINT "PK_covid_refreshes" PRIMARY KEY (id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE covid.refreshes');
    await queryRunner.query('DROP TABLE covid.observations');
  }
}
