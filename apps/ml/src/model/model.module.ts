import { Module } from '@nestjs/common';
import { ModelController } from './model.controller';
import { ModelRepository } from './model.repository';
import { ModelService } from './model.service';

@Module({
  controllers: [ModelController],
  providers: [ModelService, ModelRepository],
  exports: [ModelService],
})
export class ModelModule {}
