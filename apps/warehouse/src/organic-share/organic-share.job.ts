import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG } from '@des/shared';
import { WarehouseConfig } from '../config';
import { JobRegistry } from '../loads/job-registry';
import { JobContext, JobOutcome, WarehouseJob } from '../loads/warehouse-job';
import { copyParquetToStage, createMarketingStage, MARKETING_STAGE } from './marketing-stage';
import { marketingStageChecks, WEEKLY_RESULT_CHECKS } from './organic-share-checks';
import {
  CLEAR_ORGANIC_SHARE_WEEKLY,
  COMPUTE_ORGANIC_SHARE_WEEKLY,
  INSERT_NEW_MARKETING_ROWS,
  REPLACE_NEWER_MARKETING_ROWS,
  WEEKLY_TOTAL_OUTLIER_WARNING,
} from './organic-share.sql';

/**
 * The weekly organic-share job: stage the delivery's Parquet files, gate them, merge them into
 * warehouse.marketing_daily (newer dataplatform_inserted_at wins), recompute
 * warehouse.organic_share_weekly whole, gate the result. The runner wraps it all in one
 * transaction, so a failed gate leaves both tables as they were.
 */
@Injectable()
export class OrganicShareJob implements WarehouseJob, OnModuleInit {
  readonly name = 'organic-share';
  readonly sourceFolder = 'marketing';
  readonly fileKinds = '.parquet';
  readonly cron: string;
  private readonly countries: readonly string[];
  private readonly osNames: readonly string[];

  constructor(
    @Inject(APP_CONFIG) config: WarehouseConfig,
    private readonly registry: JobRegistry,
  ) {
    this.cron = config.WAREHOUSE_ORGANIC_SHARE_CRON;
    this.countries = config.WAREHOUSE_MARKETING_COUNTRIES;
    this.osNames = config.WAREHOUSE_MARKETING_OS_NAMES;
  }

  onModuleInit(): void {
    this.registry.register(this);
  }

  accepts(fileName: string): boolean {
    return fileName.endsWith('.parquet') && !fileName.startsWith('.');
  }

  async run(context: JobContext): Promise<JobOutcome> {
    const { client, delivery, checks } = context;
    // Sorting and hashing a large delivery (key check, upsert, weekly aggregates) in memory.
    await client.query("SET LOCAL work_mem = '64MB'");
    await createMarketingStage(client);
    let rowsRead = 0;
    let bytes = 0;
    for (const file of delivery.files) {
      await copyParquetToStage(client, file, (rows) => {
        rowsRead += rows;
        context.progress({ rows: rowsRead, bytes, file: file.name });
      });
      bytes += file.bytes;
      context.progress({ rows: rowsRead, bytes, file: file.name });
    }
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${MARKETING_STAGE}`,
    );
    const staged = Number(rows[0]!.n);
    checks.record({
      name: 'rows_staged_equal_rows_read',
      passed: staged === rowsRead && staged > 0,
      figure: staged,
      detail: `${staged} rows in the stage, ${rowsRead} rows read from ${delivery.files.length} file(s); a delivery must have rows`,
    });
    const stageChecks = marketingStageChecks({ countries: this.countries, osNames: this.osNames });
    await client.query(stageChecks.countSql);
    await checks.runSql(client, stageChecks.checks);
    checks.assertPassed();

    const replaced = await client.query(REPLACE_NEWER_MARKETING_ROWS, [context.loadId]);
    const inserted = await client.query(INSERT_NEW_MARKETING_ROWS, [context.loadId]);
    await client.query(CLEAR_ORGANIC_SHARE_WEEKLY);
    await client.query(COMPUTE_ORGANIC_SHARE_WEEKLY, [context.loadTs]);
    await checks.runSql(client, [...WEEKLY_RESULT_CHECKS, WEEKLY_TOTAL_OUTLIER_WARNING]);
    return { rowsRead, rowsLoaded: (replaced.rowCount ?? 0) + (inserted.rowCount ?? 0) };
  }
}
