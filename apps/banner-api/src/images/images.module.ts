import { Module } from '@nestjs/common';
import { CreativesController } from '../creatives/creatives.controller';
import { CreativesRepository } from '../creatives/creatives.repository';
import { SelectionModule } from '../selection/selection.module';
import { ImagesController } from './images.controller';
import { ImagesService } from './images.service';

/** Banner images: uploaded creatives, or placeholders for served banners. */
@Module({
  imports: [SelectionModule],
  controllers: [ImagesController, CreativesController],
  providers: [ImagesService, CreativesRepository],
  exports: [ImagesService],
})
export class ImagesModule {}
