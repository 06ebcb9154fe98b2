import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issued membership ids (for collisions across runs) and the run's count of them. `run_id` has
 * no foreign key: runs are never deleted, and a per-row check would slow a million-row commit.
 * `membership_id` sorts bytewise (collation "C"): ids are compared folded the same way.
 */
export class CreateIssuedMembershipIds1763760000000 implements MigrationInterface {
  name = 'CreateIssuedMembershipIds1763760000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "pipeline"."issued_membership_ids" ("membership_id" text COLLATE "C" NOT NULL, "person_key" bigint NOT NULL, "run_id" character varying(40) NOT NULL, "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "issued_membership_ids_pkey" PRIMARY KEY ("membership_id"))`,
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
