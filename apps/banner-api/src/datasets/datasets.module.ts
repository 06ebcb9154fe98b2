import { Module } from '@nestjs/common';
import { ImportsModule } from '../imports/imports.module';
import { SelectionModule } from '../selection/selection.module';
import { DatasetsController } from './datasets.controller';
import { DatasetsRepository } from './datasets.repository';

@Module({
  imports: [ImportsModule, SelectionModule],
  controllers: [DatasetsController],
  providers: [DatasetsRepository],
})
export class DatasetsModule {}
