import { DynamicModule, Module } from '@nestjs/common';
import { coreModules } from '@des/shared';
import { MlConfig } from './config';
import { entities } from './database/entities';
import { migrations } from './database/migrations';
import { ModelModule } from './model/model.module';
import { PredictionsModule } from './predictions/predictions.module';

@Module({})
export class AppModule {
  static register(config: MlConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...coreModules({ app: 'ml', config, entities, migrations }),
        ModelModule,
        PredictionsModule,
      ],
    };
  }
}
