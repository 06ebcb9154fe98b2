import { DynamicModule, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { coreModules, HealthModule } from '@des/shared';
import { AuthModule } from './auth/auth.module';
import { SalesDbConfig } from './config';
import { SalesDatabaseModule } from './database/sales-database.module';
import { entities } from './database/entities';
import { migrations } from './database/migrations';
import { DemoModule } from './demo/demo.module';
import { SalesHealthModule } from './health/health.module';
import { RetryAfterInterceptor } from './http/retry-after.interceptor';
import { ItemsModule } from './items/items.module';
import { MembersModule } from './members/members.module';
import { ReportsModule } from './reports/reports.module';
import { TransactionsModule } from './transactions/transactions.module';

@Module({})
export class AppModule {
  static register(config: SalesDbConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // The shared /health pings through the owner's (migration) pool; ours uses its own
        // least-privilege connection, so the owner's connections can close after start-up.
        ...coreModules({ app: 'sales-db', config, entities, migrations }).filter(
          (module) => module !== HealthModule,
        ),
        SalesHealthModule,
        SalesDatabaseModule,
        AuthModule,
        ItemsModule,
        MembersModule,
        TransactionsModule,
        ReportsModule,
        DemoModule,
      ],
      providers: [{ provide: APP_INTERCEPTOR, useClass: RetryAfterInterceptor }],
    };
  }
}
