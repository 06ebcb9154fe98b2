import { DynamicModule, Module } from '@nestjs/common';
import { coreModules } from '@des/shared';
import { AuthModule } from './auth/auth.module';
import { SalesDbConfig } from './config';
import { SalesDatabaseModule } from './database/sales-database.module';
import { entities } from './database/entities';
import { migrations } from './database/migrations';
import { DemoModule } from './demo/demo.module';
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
        ...coreModules({ app: 'sales-db', config, entities, migrations }),
        SalesDatabaseModule,
        AuthModule,
        ItemsModule,
        MembersModule,
        TransactionsModule,
        ReportsModule,
        DemoModule,
      ],
    };
  }
}
