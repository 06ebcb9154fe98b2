import { MigrationInterface, QueryRunner } from 'typeorm';

/** Every Country/Region of the full JHU files, with ISO code, slug, kind and population. */
export class CreateCountries1764750000000 implements MigrationInterface {
  name = 'CreateCountries1764750000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE covid.countries (
        name varchar(64) NOT NULL,
        id varchar(64) NOT NULL,
        code varchar(2),
        slug varchar(64) NOT NULL,
        kind varchar(16) NOT NULL,
        population integer,
        lat varchar(16) NOT NULL,
        lon varchar(16) NOT NULL,
        CONSTRAINT "PK_covid_countries" PRIMARY KEY (name),
        CONSTRAINT "UQ_covid_countries_id" UNIQUE (id),
        CONSTRAINT "UQ_covid_countries_slug" UNIQUE (slug)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE covid.countries');
  }
}
