import { DynamicModule, Module } from '@nestjs/common';
import { SupplierController } from './supplier.controller';
import { SupplierDemoService } from './supplier-demo.service';
import { SupplierJob } from './supplier.job';

/** The nightly TPC-H supplier load (a warehouse job). */
@Module({})
export class SupplierModule {
  static register(options: { server: boolean }): DynamicModule {
    return {
      module: SupplierModule,
      controllers: options.server ? [SupplierController] : [],
      providers: [SupplierJob, ...(options.server ? [SupplierDemoService] : [])],
    };
  }
}
