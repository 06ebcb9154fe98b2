import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { coreModules } from '@des/shared';
import { CompatModule } from './compat/compat.module';
import { DashboardConfig } from './config';
import { DataModule } from './data/data.module';
import { entities } from './database/entities';
import { migrations } from './database/migrations';
import { PageModule } from './page/page.module';
import { SeriesModule } from './series/series.module';

@Module({})
export class AppModule {
  static register(config: DashboardConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...coreModules({
          app: 'dashboard',
          config,
          entities,
          migrations,
          // Asset requests would drown the log; API requests stay logged.
          quietPaths: [/^\/assets\//],
        }),
        ScheduleModule.forRoot(),
        DataModule,
        SeriesModule,
        CompatModule,
        PageModule,
      ],
    };
  }
}
