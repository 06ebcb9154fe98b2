import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { MetricsController } from '../metrics/metrics.controller';
import { BatchFilesRepository } from '../files/batch-files.repository';
import { LedgerRepository } from '../ledger/ledger.repository';
import { RunsController } from './runs.controller';
import { RunsScheduler } from './runs.scheduler';
import { RunsService } from './runs.service';

@Module({})
export class RunsModule {
  /** The server schedules runs and serves HTTP; the CLI only runs them. */
  static register(options: { server: boolean }): DynamicModule {
    return {
      module: RunsModule,
      imports: options.server ? [ScheduleModule.forRoot()] : [],
      controllers: options.server ? [RunsController, MetricsController] : [],
      providers: [
        RunsService,
        LedgerRepository,
        BatchFilesRepository,
        ...(options.server ? [RunsScheduler] : []),
      ],
      exports: [RunsService, BatchFilesRepository],
    };
  }
}
