import { DynamicModule, Module } from '@nestjs/common';
import { coreModules } from '@des/shared';
import { PipelineConfig } from './config';
import { entities } from './database/entities';
import { migrations } from './database/migrations';
import { RunsModule } from './runs/runs.module';

@Module({})
export class AppModule {
  /** `server: false` (the CLI) leaves out the cron and the HTTP routes. */
  static register(config: PipelineConfig, options = { server: true }): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...coreModules({ app: 'pipeline', config, entities, migrations }),
        RunsModule.register(options),
      ],
    };
  }
}
