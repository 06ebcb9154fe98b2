import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { APP_CONFIG } from '@des/shared';
import { SalesDbConfig } from '../config';
import { SalesDatabase } from '../database/sales-database';
import { GeneratorService } from '../generator/generator.service';
import { MembersImportService } from '../members/members-import.service';

/** Members shipped with the app in the pipeline's output format, for a demo before any pipeline run. */
export const DEMO_MEMBERS_CSV = join(__dirname, '..', '..', 'demo', 'members.csv');

/**
 * With DEMO_DATA=true: imports the demo members and the pipeline's successful outputs (when that
 * folder exists), then, on first start only, the catalogue and a few hundred transactions. Runs
 * in the background so /health answers at once; every step is idempotent.
 */
@Injectable()
export class DemoService implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: SalesDbConfig,
    private readonly database: SalesDatabase,
    private readonly importer: MembersImportService,
    private readonly generator: GeneratorService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.DEMO_DATA) return;
    void this.load().catch((error: unknown) =>
      this.logger.error({ err: error }, 'demo data failed to load'),
    );
  }

  async load(): Promise<void> {
    // One loader at a time (two app processes on one database); the other just skips.
    const client = await this.database.adminPool.connect();
    try {
      const [{ locked }] = (
        await client.query<{ locked: boolean }>(
          "SELECT pg_try_advisory_lock(hashtext('sales-db:demo')) AS locked",
        )
      ).rows;
      if (!locked) return;
      try {
        await this.importer.import(DEMO_MEMBERS_CSV);
        if (existsSync(this.config.SALES_MEMBERS_DIR))
          await this.importer.import(this.config.SALES_MEMBERS_DIR);
        const existing = await client.query('SELECT 1 FROM sales.transactions LIMIT 1');
        if (existing.rowCount === 0 && this.config.SALES_DEMO_TRANSACTIONS > 0) {
          await this.generator.generate({
            transactions: this.config.SALES_DEMO_TRANSACTIONS,
            batchSize: 1000,
          });
        }
        this.logger.log('demo data ready');
      } finally {
        await client.query("SELECT pg_advisory_unlock(hashtext('sales-db:demo'))");
      }
    } finally {
      client.release();
    }
  }
}
