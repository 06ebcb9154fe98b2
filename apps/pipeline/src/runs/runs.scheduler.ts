import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG } from '@des/shared';
import { CronJob } from 'cron';
import { PipelineConfig } from '../config';
import { generateBatches } from '../generator/batch-generator';
import { scanIncoming } from '../intake/incoming-folder';
import { BatchFilesRepository } from '../files/batch-files.repository';
import { LedgerRepository } from '../ledger/ledger.repository';
import { RunRecovery } from './run-recovery';
import { RunsService } from './runs.service';

/** The hourly cron (`PIPELINE_CRON`), start-up recovery and the first-start demo files (`DEMO_DATA`). */
@Injectable()
export class RunsScheduler implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(RunsScheduler.name);
  /** The scheduled run still going, if any: ticks meanwhile are skipped. */
  private scheduled: Promise<void> | undefined;
  private skippedTicks = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: PipelineConfig,
    private readonly runs: RunsService,
    private readonly recovery: RunRecovery,
    private readonly ledger: LedgerRepository,
    private readonly files: BatchFilesRepository,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onModuleInit(): void {
    if (this.config.PIPELINE_CRON === 'off') return;
    const job = CronJob.from({
      cronTime: this.config.PIPELINE_CRON,
      onTick: () => this.tick(),
      start: true,
    });
    this.scheduler.addCronJob('pipeline-run', job);
    this.logger.log(`Runs scheduled: ${this.config.PIPELINE_CRON}`);
  }

  /**
   * In the background, so /health answers at once: finish what a crashed process left (so the
   * history shows no dead `running` runs), then the demo files if asked for.
   */
  onApplicationBootstrap(): void {
    void this.recovery
      .recover()
      .catch((error: unknown) => this.logger.error(`Recovery failed: ${String(error)}`));
    if (this.config.DEMO_DATA) {
      void this.loadDemo().catch((error: unknown) =>
        this.logger.error(`Demo data not loaded: ${String(error)}`),
      );
    }
  }

  /** Only on a fresh install: an empty ledger; demo files are generated only into an empty folder. */
  async loadDemo(): Promise<void> {
    if (!(await this.ledger.isEmpty())) return;
    if ((await scanIncoming(this.files.paths.incoming, 0)).files.length === 0) {
      const written = await generateBatches({
        dir: this.files.paths.incoming,
        files: this.config.PIPELINE_DEMO_FILES,
        rows: this.config.PIPELINE_DEMO_ROWS,
        seed: 2022,
      });
      this.logger.log(`Demo files generated: ${written.length} in ${this.files.paths.incoming}`);
    }
    await this.runs.run('demo');
  }

  /**
   * A tick while the previous scheduled run is still going is skipped (logged once per long
   * run): overlapping runs would only re-hash files the first one holds.
   */
  tick(): Promise<void> {
    if (this.scheduled) {
      if (this.skippedTicks++ === 0) {
        this.logger.warn('Scheduled run still going: ticks are skipped until it ends');
      }
      return this.scheduled;
    }
    this.scheduled = this.runs
      .run('cron')
      .then(
        () => undefined,
        (error: unknown) => this.logger.error(`Scheduled run failed: ${String(error)}`),
      )
      .finally(() => {
        if (this.skippedTicks)
          this.logger.log(`Scheduled run ended; ${this.skippedTicks} tick(s) skipped`);
        this.scheduled = undefined;
        this.skippedTicks = 0;
      });
    return this.scheduled;
  }
}
