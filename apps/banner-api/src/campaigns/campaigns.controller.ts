import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CampaignsService } from './campaigns.service';

/** `GET /campaigns/:campaignId` itself lives in campaigns.routes.ts (raw Fastify, hot path). */
@ApiTags('campaigns')
@Controller('campaigns')
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Get()
  @ApiOperation({
    summary:
      'Campaigns of the current quarter with their collections. GET /campaigns/{campaignId} serves one banner (HTML for browsers, JSON otherwise; see README)',
  })
  list() {
    return this.campaigns.list();
  }
}
