import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateWarehouseSchema1700000000000 implements MigrationInterface {
  name = 'CreateWarehouseSchema1700000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE SCHEMA IF NOT EXISTS warehouse');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP SCHEMA IF EXISTS warehouse CASCADE');
  }
}
