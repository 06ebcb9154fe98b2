import { MigrationInterface, QueryRunner } from 'typeorm';
import { CreateBannerTables1700000000001 } from './1700000000001-CreateBannerTables';

/**
 * A quarter's data becomes a dataset (a set of files) with versions: rows belong to the file that
 * brought them, a dataset lists its files, and each quarter serves at most one published dataset.
 * Impressions are stored counted per (file, campaign, banner): the rules only need which banners a
 * campaign showed, and 3.8M rows of a quarter shrink to a few hundred. Existing data becomes one
 * published dataset per quarter made of its accepted files.
 */
export class DatasetsAsQuarters1700000000002 implements MigrationInterface {
  name = 'DatasetsAsQuarters1700000000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`DROP INDEX "banner"."imports_sha256_accepted"`);
    await q(
      `ALTER TABLE "banner"."imports" ADD "imported_by" text, ADD "upload_id" uuid, ADD "report" jsonb`,
    );
    await q(`CREATE INDEX "imports_sha256" ON "banner"."imports" ("sha256")`);
    await q(
      `CREATE TABLE "banner"."datasets" ("id" SERIAL NOT NULL, "quarter" smallint NOT NULL, "status" text NOT NULL, "base_id" integer, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "published_at" TIMESTAMP WITH TIME ZONE, "imported_by" text, CONSTRAINT "PK_datasets" PRIMARY KEY ("id"))`,
    );
    await q(`CREATE INDEX "datasets_quarter_status" ON "banner"."datasets" ("quarter", "status")`);
    // A quarter serves one dataset at most, whatever races.
    await q(
      `CREATE UNIQUE INDEX "datasets_one_published" ON "banner"."datasets" ("quarter") WHERE status = 'published'`,
    );
    await q(
      `CREATE TABLE "banner"."dataset_files" ("dataset_id" integer NOT NULL, "import_id" integer NOT NULL, "kind" text NOT NULL, CONSTRAINT "PK_dataset_files" PRIMARY KEY ("dataset_id", "import_id"))`,
    );
    await q(`CREATE INDEX "dataset_files_import" ON "banner"."dataset_files" ("import_id")`);

    // Events: keyed by the file that brought them.
    await q(`ALTER TABLE "banner"."impressions" RENAME TO "impressions_v1"`);
    await q(
      `ALTER INDEX "banner"."impressions_quarter_campaign_banner" RENAME TO "impressions_v1_idx"`,
    );
    await q(
      `ALTER TABLE "banner"."impressions_v1" RENAME CONSTRAINT "PK_e6929a8c2e8f413633431ccd4ea" TO "PK_impressions_v1"`,
    );
    await q(
      `CREATE TABLE "banner"."impressions" ("import_id" integer NOT NULL, "campaign_id" integer NOT NULL, "banner_id" integer NOT NULL, "impressions" bigint NOT NULL, CONSTRAINT "PK_impressions" PRIMARY KEY ("import_id", "campaign_id", "banner_id"))`,
    );
    await q(
      `INSERT INTO "banner"."impressions" SELECT import_id, campaign_id, banner_id, count(*) FROM "banner"."impressions_v1" GROUP BY 1, 2, 3`,
    );
    await q(`DROP TABLE "banner"."impressions_v1"`);
    await q(`ALTER TABLE "banner"."clicks" DROP CONSTRAINT "PK_d0ffdee9d61fdfb2cd8da4976fe"`);
    await q(`ALTER TABLE "banner"."clicks" DROP COLUMN "quarter"`);
    await q(
      `ALTER TABLE "banner"."clicks" ADD CONSTRAINT "PK_clicks" PRIMARY KEY ("import_id", "click_id")`,
    );
    await q(`ALTER TABLE "banner"."conversions" DROP CONSTRAINT "PK_70d7d01322df6d8d8b05613055a"`);
    await q(`ALTER TABLE "banner"."conversions" DROP COLUMN "quarter"`);
    await q(
      `ALTER TABLE "banner"."conversions" ADD CONSTRAINT "PK_conversions" PRIMARY KEY ("import_id", "conversion_id")`,
    );

    // Existing data: one published dataset per quarter, made of the quarter's accepted files.
    await q(
      `INSERT INTO "banner"."datasets" (quarter, status, published_at, imported_by)
       SELECT DISTINCT quarter, 'published', now(), 'before datasets' FROM "banner"."imports" WHERE status = 'accepted'`,
    );
    await q(
      `INSERT INTO "banner"."dataset_files" (dataset_id, import_id, kind)
       SELECT d.id, i.id, i.kind FROM "banner"."imports" i JOIN "banner"."datasets" d ON d.quarter = i.quarter
        WHERE i.status = 'accepted'`,
    );
    await q(`ALTER TABLE "banner"."selections" RENAME TO "selections_v1"`);
    await q(
      `ALTER TABLE "banner"."selections_v1" RENAME CONSTRAINT "PK_8a6d65dbcc74926903aeb9c9b10" TO "PK_selections_v1"`,
    );
    await q(
      `CREATE TABLE "banner"."selections" ("dataset_id" integer NOT NULL, "campaign_id" integer NOT NULL, "banner_ids" integer array NOT NULL, "rule" text NOT NULL, "converting_banners" integer NOT NULL, CONSTRAINT "PK_selections" PRIMARY KEY ("dataset_id", "campaign_id"))`,
    );
    await q(
      `INSERT INTO "banner"."selections" SELECT d.id, s.campaign_id, s.banner_ids, s.rule, s.converting_banners
         FROM "banner"."selections_v1" s JOIN "banner"."datasets" d ON d.quarter = s.quarter`,
    );
    await q(`DROP TABLE "banner"."selections_v1"`);
    await q(
      `CREATE TABLE "banner"."creatives" ("banner_id" integer NOT NULL, "content" bytea NOT NULL, "sha256" character(64) NOT NULL, "uploaded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "uploaded_by" text NOT NULL, CONSTRAINT "PK_creatives" PRIMARY KEY ("banner_id"))`,
    );
  }

  /** Versions cannot be folded back into per-quarter rows: the tables of 0001 come back empty. */
  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'creatives',
      'selections',
      'dataset_files',
      'datasets',
      'impressions',
      'clicks',
      'conversions',
      'imports',
    ])
      await queryRunner.query(`DROP TABLE "banner"."${table}"`);
    await new CreateBannerTables1700000000001().up(queryRunner);
  }
}
