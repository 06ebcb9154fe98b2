import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDashboardSchema1700000000000 implements MigrationInterface {
  name = 'CreateDashboardSchema1700000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE SCHEMA IF NOT EXISTS covid');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP SCHEMA IF EXISTS covid CASCADE');
  }
}
