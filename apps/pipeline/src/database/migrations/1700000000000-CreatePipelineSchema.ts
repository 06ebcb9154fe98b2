import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatePipelineSchema1700000000000 implements MigrationInterface {
  name = 'CreatePipelineSchema1700000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE SCHEMA IF NOT EXISTS pipeline');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP SCHEMA IF EXISTS pipeline CASCADE');
  }
}
