import { DynamicModule, Global, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { DeliveryFoldersRepository } from './delivery-folders.repository';
import { JobRegistry } from './job-registry';
import { LoadConnections } from './load-connections';
import { LoadRunner } from './load-runner.service';
import { LoadRunsRepository } from './load-runs.repository';
import { LoadsController } from './loads.controller';
import { LoadsScheduler } from './loads.scheduler';
import { LoadsService } from './loads.service';

/**
 * The load machinery every warehouse job uses: delivery folders, run records, the runner (lock,
 * skip, one transaction, record), the schedule and the HTTP routes for run records. Global so a
 * job's module only injects JobRegistry (to register) and LoadsService (for its POST route).
 */
@Global()
@Module({})
export class LoadsModule {
  /** The server schedules and serves HTTP; the CLI only runs. */
  static register(options: { server: boolean }): DynamicModule {
    return {
      module: LoadsModule,
      imports: options.server ? [ScheduleModule.forRoot()] : [],
      controllers: options.server ? [LoadsController] : [],
      providers: [
        JobRegistry,
        DeliveryFoldersRepository,
        LoadRunsRepository,
        LoadConnections,
        LoadRunner,
        LoadsService,
        ...(options.server ? [LoadsScheduler] : []),
      ],
      exports: [JobRegistry, DeliveryFoldersRepository, LoadRunner, LoadsService],
    };
  }
}
