import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG } from '@des/shared';
import { DataSource } from 'typeorm';
import { APP_ROOT, WarehouseConfig } from '../config';
import { LoadRunner } from '../loads/load-runner.service';

/** The shipped sample (see data/organic-share/SOURCE.md), delivered as its own day after its last row. */
export const DEMO_SAMPLE = join(APP_ROOT, 'data', 'organic-share', 'sample.snappy.parquet');
export const DEMO_DELIVERY = '20211214';

/**
 * With DEMO_DATA=true, on a start where the job has never loaded anything: drops the shipped
 * sample into the marketing source folder as a delivery and runs the job on it (trigger `demo`),
 * in the background so /health answers at once. Later starts find the loaded run and do nothing.
 */
@Injectable()
export class OrganicShareDemoService implements OnApplicationBootstrap {
  private readonly logger = new Logger(OrganicShareDemoService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: WarehouseConfig,
    private readonly dataSource: DataSource,
    private readonly runner: LoadRunner,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.DEMO_DATA) return;
    void this.loadOnce().catch((error: unknown) =>
      this.logger.error({ err: error }, 'organic-share demo data failed to load'),
    );
  }

  async loadOnce(): Promise<void> {
    const [loaded] = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM warehouse.load_runs WHERE job = 'organic-share' AND outcome = 'loaded' LIMIT 1`,
    );
    if (loaded) return;
    const folder = join(this.config.WAREHOUSE_SOURCE_DIR, 'marketing', DEMO_DELIVERY);
    await mkdir(folder, { recursive: true });
    await copyFile(DEMO_SAMPLE, join(folder, 'sample.snappy.parquet'));
    const run = await this.runner.run('organic-share', {
      delivery: DEMO_DELIVERY,
      trigger: 'demo',
    });
    this.logger.log(
      `organic-share demo: run #${run.id} ${run.outcome} (${run.rowsLoaded ?? 0} rows)`,
    );
  }
}
