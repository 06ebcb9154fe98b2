import { MigrationInterface, QueryRunner } from 'typeorm';

/** Raw events per quarter, the import history, and the computed selections. */
export class CreateBannerTables1700000000001 implements MigrationInterface {
  name = 'CreateBannerTables1700000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "banner"."imports" ("id" SERIAL NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "file_name" text NOT NULL, "kind" text, "quarter" smallint, "sha256" character(64), "status" text NOT NULL, "rows_total" integer NOT NULL DEFAULT '0', "rows_inserted" integer NOT NULL DEFAULT '0', "rows_skipped" integer NOT NULL DEFAULT '0', "unmatched_conversions" integer NOT NULL DEFAULT '0', "duplicate_of" integer, "reason" text, "errors" jsonb, CONSTRAINT "PK_ea10c62f5eb1d75e83d8b5225db" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "imports_sha256_accepted" ON "banner"."imports" ("sha256") WHERE status = 'accepted'`,
    );
    await queryRunner.query(
      `CREATE TABLE "banner"."impressions" ("id" BIGSERIAL NOT NULL, "quarter" smallint NOT NULL, "banner_id" integer NOT NULL, "campaign_id" integer NOT NULL, "import_id" integer NOT NULL, CONSTRAINT "PK_e6929a8c2e8f413633431ccd4ea" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "impressions_quarter_campaign_banner" ON "banner"."impressions" ("quarter", "campaign_id", "banner_id")`,
    );
    await queryRunner.query(
      `CREATE TABLE "banner"."clicks" ("quarter" smallint NOT NULL, "click_id" bigint NOT NULL, "banner_id" integer NOT NULL, "campaign_id" integer NOT NULL, "import_id" integer NOT NULL, CONSTRAINT "PK_d0ffdee9d61fdfb2cd8da4976fe" PRIMARY KEY ("quarter", "click_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "banner"."conversions" ("quarter" smallint NOT NULL, "conversion_id" bigint NOT NULL, "click_id" bigint NOT NULL, "revenue" numeric(14,6) NOT NULL, "import_id" integer NOT NULL, CONSTRAINT "PK_70d7d01322df6d8d8b05613055a" PRIMARY KEY ("quarter", "conversion_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "banner"."selections" ("quarter" smallint NOT NULL, "campaign_id" integer NOT NULL, "banner_ids" integer array NOT NULL, "rule" text NOT NULL, "converting_banners" integer NOT NULL, "data_version" integer NOT NULL, CONSTRAINT "PK_8a6d65dbcc74926903aeb9c9b10" PRIMARY KEY ("quarter", "campaign_id"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "banner"."selections"`);
    await queryRunner.query(`DROP TABLE "banner"."conversions"`);
    await queryRunner.query(`DROP TABLE "banner"."clicks"`);
    await queryRunner.query(`DROP INDEX "banner"."impressions_quarter_campaign_banner"`);
    await queryRunner.query(`DROP TABLE "banner"."impressions"`);
    await queryRunner.query(`DROP INDEX "banner"."imports_sha256_accepted"`);
    await queryRunner.query(`DROP TABLE "banner"."imports"`);
  }
}
