import { Module } from '@nestjs/common';
import { AssetsRepository } from './assets.repository';
import { PageController } from './page.controller';
import { PageService } from './page.service';

/** `GET /` and its assets: the dashboard page. */
@Module({
  controllers: [PageController],
  providers: [PageService, AssetsRepository],
})
export class PageModule {}
