import { DynamicModule, Module } from '@nestjs/common';
import { coreModules } from '@des/shared';
import { DashboardConfig } from './config';
import { entities } from './database/entities';
import { migrations } from './database/migrations';

@Module({})
export class AppModule {
  static register(config: DashboardConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [...coreModules({ app: 'dashboard', config, entities, migrations })],
    };
  }
}
