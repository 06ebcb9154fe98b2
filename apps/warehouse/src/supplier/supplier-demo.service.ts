import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG } from '@des/shared';
import { join } from 'node:path';
import { WarehouseConfig } from '../config';
import { DeliveryFoldersRepository } from '../loads/delivery-folders.repository';
import { LoadInProgressError } from '../loads/errors';
import { LoadRunner } from '../loads/load-runner.service';
import { LoadsService } from '../loads/loads.service';
import { generateSupplierFiles } from './generator/supplier-files';
import { SupplierJob } from './supplier.job';

/**
 * With DEMO_DATA, the first start loads a demo night: generated (spec rules, a fixed seed) into
 * `<WAREHOUSE_SOURCE_DIR>/supplier/<today>/` when no night is there yet, then loaded like any
 * other. Only on a fresh install: once any supplier run is recorded it does nothing.
 */
@Injectable()
export class SupplierDemoService implements OnApplicationBootstrap {
  private readonly logger = new Logger(SupplierDemoService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: WarehouseConfig,
    private readonly job: SupplierJob,
    private readonly deliveries: DeliveryFoldersRepository,
    private readonly loads: LoadsService,
    private readonly runner: LoadRunner,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.DEMO_DATA) return;
    // In the background: /health answers while the demo night loads.
    void this.loadDemoNight().catch((error: Error) =>
      this.logger.error(`Demo night not loaded: ${error.message}`),
    );
  }

  async loadDemoNight(): Promise<void> {
    if ((await this.loads.list({ job: this.job.name, limit: 1, offset: 0 })).total > 0) return;
    if ((await this.deliveries.list(this.job)).length === 0) {
      const night = new Date().toISOString().slice(0, 10).replace(/-/g, '');
      const folder = join(this.deliveries.jobFolder(this.job), night);
      await generateSupplierFiles({
        scale: this.config.WAREHOUSE_DEMO_SCALE,
        out: folder,
        trailingPipe: true,
      });
      this.logger.log(`Demo night generated in ${folder}`);
    }
    try {
      const run = await this.runner.run(this.job.name, { trigger: 'demo' });
      this.logger.log(`Demo night ${run.delivery}: run #${run.id} ${run.outcome}`);
    } catch (error) {
      // Another replica starting at the same time is loading it.
      if (!(error instanceof LoadInProgressError)) throw error;
    }
  }
}
