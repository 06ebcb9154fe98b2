import { DynamicModule, Module } from '@nestjs/common';
import { coreModules } from '@des/shared';
import { PipelineConfig } from './config';
import { entities } from './database/entities';
import { migrations } from './database/migrations';

@Module({})
export class AppModule {
  static register(config: PipelineConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [...coreModules({ app: 'pipeline', config, entities, migrations })],
    };
  }
}
