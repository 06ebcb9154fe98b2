import { DynamicModule, Module } from '@nestjs/common';
import { coreModules } from '@des/shared';
import { WarehouseConfig } from './config';
import { entities } from './database/entities';
import { migrations } from './database/migrations';
import { LoadsModule } from './loads/loads.module';
import { OrganicShareModule } from './organic-share/organic-share.module';
import { SupplierModule } from './supplier/supplier.module';

@Module({})
export class AppModule {
  /** `server: false` (the CLI) leaves out the schedule and the HTTP routes. */
  static register(config: WarehouseConfig, options = { server: true }): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...coreModules({ app: 'warehouse', config, entities, migrations }),
        LoadsModule.register(options),
        SupplierModule.register(options),
        OrganicShareModule.register(options),
      ],
    };
  }
}
