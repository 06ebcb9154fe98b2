import { Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnprocessableEntityResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { LoadRunView } from '../loads/dto/load-run.view';
import { LoadsService } from '../loads/loads.service';
import { OrganicShareListView } from './dto/organic-share-week.view';
import { DeliveryQuery, OrganicShareQuery } from './dto/organic-share.query';
import { OrganicShareService } from './organic-share.service';
import { errorResponse, failedLoadResponse } from '../loads/dto/error-responses';

const CSV_EXAMPLE = `year,week,week_start,country,organic_users_p4w,total_users_p4w,share_organic_p4w,weeks_with_data_p4w,computed_at
2020,53,2020-12-28,GB,412,1630,0.252761,3,2026-12-07T05:00:03.120Z
2021,1,2021-01-04,GB,398,1577,0.252378,4,2026-12-07T05:00:03.120Z
`;

@ApiTags('organic-share')
@ApiExtraModels(OrganicShareListView)
@Controller()
export class OrganicShareController {
  constructor(
    private readonly loads: LoadsService,
    private readonly organicShare: OrganicShareService,
  ) {}

  @Post('jobs/organic-share/runs')
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Run the organic-share job now on a marketing delivery (stage, gates, raw table, weekly table) and return the run record',
  })
  @ApiCreatedResponse({
    type: LoadRunView,
    description:
      'Loaded (with every check and its figure), or skipped because that delivery was already loaded with the same content',
  })
  @ApiBadRequestResponse(errorResponse('delivery is not a date as YYYYMMDD'))
  @ApiConflictResponse(errorResponse('An organic-share run is already in progress'))
  @ApiUnprocessableEntityResponse(
    failedLoadResponse(
      'The run failed and nothing was published (the previous weekly table stays): the body names the file and column, or the failed check with its count and sample rows, and carries the run record',
    ),
  )
  run(@Query() query: DeliveryQuery): Promise<LoadRunView> {
    return this.loads.trigger('organic-share', { delivery: query.delivery, trigger: 'http' });
  }

  @Get('organic-share')
  @ApiOperation({
    summary:
      'Share of new users acquired organically per country and ISO week, over a rolling 4 weeks (JSON, or CSV with format=csv or Accept: text/csv)',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description: 'The weeks of the published table, by country then week',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(OrganicShareListView) } },
      'text/csv': { schema: { type: 'string', example: CSV_EXAMPLE } },
    },
  })
  @ApiBadRequestResponse(
    errorResponse(
      'A malformed country, from or to (YYYY-MM or YYYY-Www), from after to, or an unknown format',
    ),
  )
  async list(
    @Query() query: OrganicShareQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<OrganicShareListView | string> {
    const weeks = await this.organicShare.weeks(query);
    const csv =
      query.format === 'csv' || (query.format === undefined && /\btext\/csv\b/.test(accept ?? ''));
    if (!csv) return { weeks };
    res.type('text/csv').attachment('organic-share.csv');
    return this.organicShare.toCsv(weeks);
  }
}
