import { MigrationInterface, QueryRunner } from 'typeorm';

/** Issued membership ids (for collisions across runs) and the run's count of them. */
export class CreateIssuedMembershipIds1763760000000 implements MigrationInterface {
  name = 'CreateIssuedMembershipIds1763760000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "pipeline"."issued_membership_ids" ("membership_id" text NOT NULL, "person_key" bytea NOT NULL, "run_id" character varying(40) NOT NULL, "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "issued_membership_ids_pkey" PRIMARY KEY ("membership_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "pipeline"."issued_membership_ids" ADD CONSTRAINT "issued_membership_ids_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "pipeline"."runs"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "pipeline"."runs" ADD "cross_run_collisions" integer NOT NULL DEFAULT '0'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "pipeline"."runs" DROP COLUMN "cross_run_collisions"`);
    await queryRunner.query(`DROP TABLE "pipeline"."issued_membership_ids"`);
  }
}
