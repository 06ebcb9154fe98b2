import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { MetricsController } from '../metrics/metrics.controller';
import { BatchFilesRepository } from '../files/batch-files.repository';
import { PublishStage } from '../files/publish.stage';
import { ClaimStage } from '../intake/claim.stage';
import { CommitStage } from '../ledger/commit.stage';
import { LedgerRepository } from '../ledger/ledger.repository';
import { ProcessStage } from '../processing/process.stage';
import { RunRecovery } from './run-recovery';
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
        RunRecovery,
        ClaimStage,
        ProcessStage,
        CommitStage,
        PublishStage,
        LedgerRepository,
        BatchFilesRepository,
        ...(options.server ? [RunsScheduler] : []),
      ],
      exports: [RunsService, BatchFilesRepository],
    };
  }
}
