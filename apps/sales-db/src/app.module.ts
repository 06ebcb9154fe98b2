import { DynamicModule, Module } from '@nestjs/common';
import { coreModules } from '@des/shared';
import { SalesDbConfig } from './config';
import { entities } from './database/entities';
import { migrations } from './database/migrations';

@Module({})
export class AppModule {
  static register(config: SalesDbConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [...coreModules({ app: 'sales-db', config, entities, migrations })],
    };
  }
}
