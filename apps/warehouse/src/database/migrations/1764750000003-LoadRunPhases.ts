import { MigrationInterface, QueryRunner } from 'typeorm';

/** How long each phase of a loaded run took (copy, checks, publish), for operators and the bench. */
export class LoadRunPhases1764750000003 implements MigrationInterface {
  name = 'LoadRunPhases1764750000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE warehouse.load_runs ADD COLUMN phase_ms jsonb');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE warehouse.load_runs DROP COLUMN phase_ms');
  }
}
