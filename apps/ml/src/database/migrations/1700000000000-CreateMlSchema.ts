import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateMlSchema1700000000000 implements MigrationInterface {
  name = 'CreateMlSchema1700000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE SCHEMA IF NOT EXISTS ml');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP SCHEMA IF EXISTS ml CASCADE');
  }
}
