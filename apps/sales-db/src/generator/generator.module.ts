import { Module } from '@nestjs/common';
import { TransactionsImportService } from '../transactions-import/transactions-import.service';
import { GeneratorRepository } from './generator.repository';
import { GeneratorService } from './generator.service';

@Module({
  providers: [GeneratorService, GeneratorRepository, TransactionsImportService],
  exports: [GeneratorService],
})
export class GeneratorModule {}
