import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The applications earlier runs emitted (a 64-bit fingerprint of each cleaned successful
 * application, the run that emitted it), so a re-sent or cumulative file does not emit them
 * again; bounded by `PIPELINE_EMITTED_LIMIT` (oldest runs' fingerprints pruned first, by
 * `emitted_at`). Runs and their files count those rows (`already_emitted`) and their failed rows
 * per reason (`failure_reasons`).
 */
export class CreateEmittedApplications1764720000000 implements MigrationInterface {
  name = 'CreateEmittedApplications1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "pipeline"."emitted_applications" ("fingerprint" bigint NOT NULL, "run_id" character varying(40) NOT NULL, "emitted_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "emitted_applications_pkey" PRIMARY KEY ("fingerprint"))`,
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
