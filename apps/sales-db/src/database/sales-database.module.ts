import { Global, Module } from '@nestjs/common';
import { SalesDatabase } from './sales-database';

@Global()
@Module({ providers: [SalesDatabase], exports: [SalesDatabase] })
export class SalesDatabaseModule {}
