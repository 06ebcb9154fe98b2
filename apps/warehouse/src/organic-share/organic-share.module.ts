import { DynamicModule, Module } from '@nestjs/common';
import { OrganicShareChartController } from './chart/organic-share-chart.controller';
import { OrganicShareController } from './organic-share.controller';
import { OrganicShareDemoService } from './organic-share-demo.service';
import { OrganicShareJob } from './organic-share.job';
import { OrganicShareRepository } from './organic-share.repository';
import { OrganicShareService } from './organic-share.service';

/** The weekly organic-share job (a warehouse job), its table's API and its chart page. */
@Module({})
export class OrganicShareModule {
  static register(options: { server: boolean }): DynamicModule {
    return {
      module: OrganicShareModule,
      controllers: options.server ? [OrganicShareController, OrganicShareChartController] : [],
      providers: [
        OrganicShareJob,
        OrganicShareRepository,
        OrganicShareService,
        ...(options.server ? [OrganicShareDemoService] : []),
      ],
    };
  }
}
