import { Module } from '@nestjs/common';
import { ImagesModule } from '../images/images.module';
import { SelectionModule } from '../selection/selection.module';
import { CampaignsController } from './campaigns.controller';
import { CampaignsService } from './campaigns.service';

@Module({
  imports: [SelectionModule, ImagesModule],
  controllers: [CampaignsController],
  providers: [CampaignsService],
  exports: [CampaignsService],
})
export class CampaignsModule {}
