import { IncomingHttpHeaders } from 'node:http';
import { Controller, Get, Headers, Ip, Param, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiExtraModels,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '../common/error-response.dto';
import { CampaignAnswerDto, CampaignListDto } from './dto/campaign.dto';
import { FastifyReply } from 'fastify';
import { writeAnswer } from './campaigns.routes';
import { ImagesService } from '../images/images.service';
import { CampaignsService } from './campaigns.service';

@ApiTags('campaigns')
@ApiExtraModels(CampaignAnswerDto)
@Controller('campaigns')
export class CampaignsController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly images: ImagesService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Campaigns of the current quarter with their collections and rules' })
  @ApiOkResponse({ type: CampaignListDto })
  list(): CampaignListDto {
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
  @ApiProduces('application/json', 'text/html', 'image/png')
  @ApiOkResponse({
    description:
      'JSON for API clients; an HTML page for browsers (Accept: text/html); the banner’s image for Accept: image/*. Set-Cookie (or X-Visitor-Id) carries the visitor’s place in the rotation.',
    content: {
      'application/json': {
        schema: { $ref: getSchemaPath(CampaignAnswerDto) },
        example: { campaignId: 7, bannerId: 123, quarter: 2, imageUrl: '/images/image_123.png' },
      },
      'text/html': {
        schema: { type: 'string' },
        example: '<!doctype html>…<img src="/images/image_123.png" alt="Banner 123">…',
      },
      'image/png': { schema: { type: 'string', format: 'binary' }, example: '(PNG bytes)' },
    },
  })
  @ApiBadRequestResponse({
    description: 'campaignId not a whole number in 1..2147483647',
    type: ErrorResponseDto,
  })
  @ApiNotFoundResponse({
    description: 'No banners for this campaign in the current dataset',
    type: ErrorResponseDto,
  })
  @ApiServiceUnavailableResponse({
    description: 'No published dataset for the current quarter (named in the message)',
    type: ErrorResponseDto,
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
