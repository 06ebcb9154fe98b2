import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { LoadInProgressError } from './errors';
import { JobRegistry } from './job-registry';
import { LoadRunner } from './load-runner.service';

/** One cron per registered job (its `cron`, from the environment; `off` schedules nothing). */
@Injectable()
export class LoadsScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(LoadsScheduler.name);

  constructor(
    private readonly jobs: JobRegistry,
    private readonly runner: LoadRunner,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  // After every module's init, so every job has registered.
  onApplicationBootstrap(): void {
    for (const job of this.jobs.all()) {
      if (job.cron === 'off') continue;
      const cron = CronJob.from({
        cronTime: job.cron,
        onTick: () => this.runSafely(job.name),
        start: true,
      });
      this.scheduler.addCronJob(`warehouse-${job.name}`, cron);
      this.logger.log(`${job.name} scheduled: ${job.cron}`);
    }
  }

  private async runSafely(job: string): Promise<void> {
    try {
      await this.runner.run(job, { trigger: 'cron' });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof LoadInProgressError) this.logger.warn(message);
      else this.logger.error(`Scheduled ${job} run failed: ${message}`);
    }
  }
}
