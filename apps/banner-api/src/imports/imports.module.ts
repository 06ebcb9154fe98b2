import { Module } from '@nestjs/common';
import { SelectionModule } from '../selection/selection.module';
import { ImportRunner } from './import-runner';
import { ImportsController } from './imports.controller';
import { ImportsRepository } from './imports.repository';
import { ImportsService } from './imports.service';

@Module({
  imports: [SelectionModule],
  controllers: [ImportsController],
  providers: [ImportsRepository, ImportsService, ImportRunner],
  exports: [ImportsService],
})
export class ImportsModule {}
