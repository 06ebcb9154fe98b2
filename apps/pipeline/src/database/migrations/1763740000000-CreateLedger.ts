import { MigrationInterface, QueryRunner } from 'typeorm';

/** Runs, their per-file results, and the exactly-once ledger keyed by content SHA-256. */
export class CreateLedger1763740000000 implements MigrationInterface {
  name = 'CreateLedger1763740000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "pipeline"."runs" ("id" character varying(40) NOT NULL, "trigger" character varying(16) NOT NULL, "status" character varying(16) NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "committed_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, "successful_output" text, "failed_output" text, "rows_read" integer NOT NULL DEFAULT '0', "successful" integer NOT NULL DEFAULT '0', "failed" integer NOT NULL DEFAULT '0', "duplicates" integer NOT NULL DEFAULT '0', "ambiguous_dates" integer NOT NULL DEFAULT '0', "membership_collisions" integer NOT NULL DEFAULT '0', "summary" jsonb, "error" text, CONSTRAINT "runs_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "runs_started_at_idx" ON "pipeline"."runs" ("started_at")`,
    );
    await queryRunner.query(
      `CREATE TABLE "pipeline"."run_files" ("id" SERIAL NOT NULL, "run_id" character varying(40) NOT NULL, "file_name" text NOT NULL, "sha256" character(64) NOT NULL, "size_bytes" bigint NOT NULL, "outcome" character varying(24) NOT NULL, "reason" text, "rows_read" integer NOT NULL DEFAULT '0', "successful" integer NOT NULL DEFAULT '0', "failed" integer NOT NULL DEFAULT '0', "duplicates" integer NOT NULL DEFAULT '0', "ambiguous_dates" integer NOT NULL DEFAULT '0', "date_orders" jsonb, "moved_to" text, CONSTRAINT "run_files_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "run_files_run_id_idx" ON "pipeline"."run_files" ("run_id")`,
    );
    await queryRunner.query(
      `CREATE TABLE "pipeline"."ledger" ("sha256" character(64) NOT NULL, "run_id" character varying(40) NOT NULL, "file_name" text NOT NULL, "outcome" character varying(16) NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ledger_pkey" PRIMARY KEY ("sha256"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "pipeline"."run_files" ADD CONSTRAINT "run_files_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "pipeline"."runs"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "pipeline"."ledger" ADD CONSTRAINT "ledger_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "pipeline"."runs"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "pipeline"."ledger"`);
    await queryRunner.query(`DROP TABLE "pipeline"."run_files"`);
    await queryRunner.query(`DROP TABLE "pipeline"."runs"`);
  }
}
