import { IncomingHttpHeaders } from 'node:http';
import { Controller, Get, Headers, Ip, Param, Res } from '@nestjs/common';
import {
  ApiHeader,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { writeAnswer } from './campaigns.routes';
import { ImagesService } from '../images/images.service';
import { CampaignsService } from './campaigns.service';

@ApiTags('campaigns')
@Controller('campaigns')
export class CampaignsController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly images: ImagesService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Campaigns of the current quarter with their collections and rules' })
  list() {
    return this.campaigns.list();
  }

  /**
   * Real traffic never gets here: the fast path in campaigns.routes.ts answers it ahead of Fastify's
   * router. This route documents it and serves what reaches Fastify (HEAD, app.inject()).
   */
  @Get(':campaignId')
  @ApiOperation({
    summary:
      'One banner of the campaign, picked at random, never the visitor’s previous one (HTML for browsers, JSON otherwise)',
  })
  @ApiParam({ name: 'campaignId', example: 7 })
  @ApiHeader({
    name: 'X-Visitor-Id',
    required: false,
    description: 'API clients: echo the value of the previous answer',
  })
  @ApiProduces('application/json', 'text/html')
  @ApiResponse({
    status: 200,
    description: '{campaignId, bannerId, quarter, imageUrl}, with Set-Cookie or X-Visitor-Id',
  })
  @ApiResponse({ status: 400, description: 'campaignId not a whole number in 1..2147483647' })
  @ApiResponse({ status: 404, description: 'No banners for this campaign in the current dataset' })
  @ApiResponse({
    status: 503,
    description: 'No data for the current dataset (named in the message)',
  })
  serve(
    @Param('campaignId') campaignId: string,
    @Headers() headers: IncomingHttpHeaders,
    @Ip() ip: string,
    @Res() reply: FastifyReply,
  ) {
    writeAnswer(reply.hijack().raw, this.campaigns.serve(campaignId, headers, ip), this.images);
  }
}
