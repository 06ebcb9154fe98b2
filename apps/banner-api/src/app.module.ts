import { DynamicModule, Module } from '@nestjs/common';
import { coreModules } from '@des/shared';
import { BannerApiConfig } from './config';
import { entities } from './database/entities';
import { migrations } from './database/migrations';

@Module({})
export class AppModule {
  static register(config: BannerApiConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [...coreModules({ app: 'banner-api', config, entities, migrations })],
    };
  }
}
