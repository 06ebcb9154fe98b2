import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The applications earlier runs emitted: per run, the sorted 64-bit fingerprints of its cleaned
 * successful applications as one `bytea` (8 bytes each, big-endian), so a re-sent or cumulative
 * file does not emit them again. One row per run, not per application: a row per application
 * made a million-row commit spend seconds updating a primary-key index nobody searches (runs
 * look fingerprints up in memory). Bounded by `PIPELINE_EMITTED_LIMIT` fingerprints, the oldest
 * runs' pruned first (`emitted_at`). Runs and their files count those rows (`already_emitted`)
 * and their failed rows per reason (`failure_reasons`).
 */
export class CreateEmittedApplications1764720000000 implements MigrationInterface {
  name = 'CreateEmittedApplications1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "pipeline"."emitted_applications" ("run_id" character varying(40) NOT NULL, "fingerprints" bytea NOT NULL, "count" integer NOT NULL, "emitted_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "emitted_applications_pkey" PRIMARY KEY ("run_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "emitted_applications_emitted_at_idx" ON "pipeline"."emitted_applications" ("emitted_at")`,
    );
    for (const table of ['runs', 'run_files']) {
      await queryRunner.query(
        `ALTER TABLE "pipeline"."${table}" ADD "already_emitted" integer NOT NULL DEFAULT '0', ADD "failure_reasons" jsonb`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['runs', 'run_files']) {
      await queryRunner.query(
        `ALTER TABLE "pipeline"."${table}" DROP COLUMN "failure_reasons", DROP COLUMN "already_emitted"`,
      );
    }
    await queryRunner.query(`DROP TABLE "pipeline"."emitted_applications"`);
  }
}
