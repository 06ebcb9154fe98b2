import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSalesDbSchema1700000000000 implements MigrationInterface {
  name = 'CreateSalesDbSchema1700000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE SCHEMA IF NOT EXISTS sales');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP SCHEMA IF EXISTS sales CASCADE');
  }
}
