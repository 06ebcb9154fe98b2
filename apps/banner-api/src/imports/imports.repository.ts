import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { SELECTIONS_CHANNEL } from '../selection/selection.repository';
import { CampaignSelection, Quarter, QuarterData } from '../selection/selection.rules';
import { ParsedFile } from './csv-validation';
import { ImportEntity, ImportKind } from './import.entity';

export interface ImportMeta {
  fileName: string;
  kind: ImportKind;
  quarter: Quarter;
  sha256: string;
}

export type StoreOutcome =
  { stored: true; record: ImportEntity } | { stored: false; duplicateOf: ImportEntity };

/** Serialises imports across replicas: selections are recomputed from a consistent state. */
const IMPORT_LOCK = 'banner-api:import';
const COPY_BATCH = 2000;

const TARGET: Record<
  ImportKind,
  { table: string; columns: string; staging: string; conflict: string }
> = {
  impressions: {
    table: 'banner.impressions',
    columns: 'banner_id, campaign_id',
    staging: 'banner_id integer, campaign_id integer',
    conflict: '',
  },
  clicks: {
    table: 'banner.clicks',
    columns: 'click_id, banner_id, campaign_id',
    staging: 'click_id bigint, banner_id integer, campaign_id integer',
    conflict: 'ON CONFLICT (quarter, click_id) DO NOTHING',
  },
  conversions: {
    table: 'banner.conversions',
    columns: 'conversion_id, click_id, revenue',
    staging: 'conversion_id bigint, click_id bigint, revenue numeric(14,6)',
    conflict: 'ON CONFLICT (quarter, conversion_id) DO NOTHING',
  },
};

/** The only place imports touch PostgreSQL: history rows, COPY of events, selections. */
@Injectable()
export class ImportsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get imports() {
    return this.dataSource.getRepository(ImportEntity);
  }

  list(): Promise<ImportEntity[]> {
    return this.imports.find({ order: { id: 'DESC' } });
  }

  async hasAccepted(): Promise<boolean> {
    return this.imports.exists({ where: { status: 'accepted' } });
  }

  findAcceptedBySha(sha256: string): Promise<ImportEntity | null> {
    return this.imports.findOne({ where: { sha256, status: 'accepted' } });
  }

  /** Records a rejected or duplicate attempt (nothing of the file is stored). */
  recordAttempt(attempt: Partial<ImportEntity>): Promise<ImportEntity> {
    return this.imports.save(this.imports.create(attempt));
  }

  /**
   * One transaction: history row, COPY into a staging table, insert skipping ids already present,
   * recompute the quarter's selections, NOTIFY. PostgreSQL delivers the notice only at commit, so
   * replicas never read selections that are not committed, and a failure leaves nothing behind.
   */
  async store(
    meta: ImportMeta,
    parsed: ParsedFile,
    recompute: (data: QuarterData, dataVersion: number) => CampaignSelection[],
  ): Promise<StoreOutcome> {
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    await runner.startTransaction();
    try {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [IMPORT_LOCK]);
      // Checked under the lock, so two uploads of one file cannot both pass.
      const earlier = await runner.manager.findOne(ImportEntity, {
        where: { sha256: meta.sha256, status: 'accepted' },
      });
      if (earlier) {
        await runner.rollbackTransaction();
        return { stored: false, duplicateOf: earlier };
      }
      const record = await runner.manager.save(
        runner.manager.create(ImportEntity, {
          ...meta,
          status: 'accepted',
          rowsTotal: parsed.rows.length,
        }),
      );
      const target = TARGET[meta.kind];
      await client.query(`CREATE TEMP TABLE import_staging (${target.staging}) ON COMMIT DROP`);
      await pipeline(
        Readable.from(csvBatches(parsed.rows as Array<Array<string | number>>)),
        client.query(copyFrom(`COPY import_staging (${target.columns}) FROM STDIN (FORMAT csv)`)),
      );
      const inserted = await client.query(
        `INSERT INTO ${target.table} (quarter, ${target.columns}, import_id)
         SELECT $1, ${target.columns}, $2 FROM import_staging ${target.conflict}`,
        [meta.quarter, record.id],
      );
      record.rowsInserted = inserted.rowCount ?? 0;
      record.rowsSkipped = record.rowsTotal - record.rowsInserted;
      if (meta.kind === 'conversions') {
        const { rows } = await client.query(
          `SELECT count(*)::int AS n FROM banner.conversions v WHERE v.import_id = $1
             AND NOT EXISTS (SELECT 1 FROM banner.clicks k WHERE k.quarter = v.quarter AND k.click_id = v.click_id)`,
          [record.id],
        );
        record.unmatchedConversions = rows[0].n;
      }
      await runner.manager.save(record);
      const selections = recompute(await this.quarterData(client, meta.quarter), record.id);
      await this.replaceSelections(client, meta.quarter, selections, record.id);
      await client.query('SELECT pg_notify($1, $2)', [SELECTIONS_CHANNEL, String(meta.quarter)]);
      await runner.commitTransaction();
      return { stored: true, record };
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }

  private async quarterData(client: PoolClient, quarter: Quarter): Promise<QuarterData> {
    const impressions = await client.query<{ campaignId: number; bannerId: number }>(
      `SELECT DISTINCT campaign_id AS "campaignId", banner_id AS "bannerId" FROM banner.impressions WHERE quarter = $1`,
      [quarter],
    );
    const clicks = await client.query<{ clickId: string; campaignId: number; bannerId: number }>(
      `SELECT click_id::text AS "clickId", campaign_id AS "campaignId", banner_id AS "bannerId" FROM banner.clicks WHERE quarter = $1`,
      [quarter],
    );
    const conversions = await client.query<{ clickId: string; revenueMicros: string }>(
      `SELECT click_id::text AS "clickId", (revenue * 1000000)::bigint::text AS "revenueMicros" FROM banner.conversions WHERE quarter = $1`,
      [quarter],
    );
    return {
      impressions: impressions.rows,
      clicks: clicks.rows,
      conversions: conversions.rows.map((row) => ({
        clickId: row.clickId,
        revenueMicros: Number(row.revenueMicros),
      })),
    };
  }

  private async replaceSelections(
    client: PoolClient,
    quarter: Quarter,
    selections: CampaignSelection[],
    dataVersion: number,
  ): Promise<void> {
    await client.query('DELETE FROM banner.selections WHERE quarter = $1', [quarter]);
    if (!selections.length) return;
    await client.query(
      `INSERT INTO banner.selections (quarter, campaign_id, banner_ids, rule, converting_banners, data_version)
       SELECT $1, s.campaign_id, ARRAY(SELECT e::int FROM jsonb_array_elements_text(s.banner_ids) WITH ORDINALITY AS t(e, n) ORDER BY n), s.rule, s.converting_banners, $2
         FROM jsonb_to_recordset($3::jsonb) AS s(campaign_id int, banner_ids jsonb, rule text, converting_banners int)`,
      [
        quarter,
        dataVersion,
        JSON.stringify(
          selections.map((s) => ({
            campaign_id: s.campaignId,
            banner_ids: s.bannerIds,
            rule: s.rule,
            converting_banners: s.convertingBanners,
          })),
        ),
      ],
    );
  }
}

/** Rows as CSV text in batches, so COPY gets few large chunks instead of one per row. */
function* csvBatches(rows: Array<Array<string | number>>): Generator<string> {
  for (let start = 0; start < rows.length; start += COPY_BATCH) {
    let batch = '';
    for (const row of rows.slice(start, start + COPY_BATCH)) batch += row.join(',') + '\n';
    yield batch;
  }
}
