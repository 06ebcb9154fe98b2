import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateBannerApiSchema1700000000000 implements MigrationInterface {
  name = 'CreateBannerApiSchema1700000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE SCHEMA IF NOT EXISTS banner');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP SCHEMA IF EXISTS banner CASCADE');
  }
}
