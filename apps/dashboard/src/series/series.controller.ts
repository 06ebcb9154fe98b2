import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import {
  CountriesResponseDto,
  ExportQueryDto,
  SeriesQueryDto,
  SeriesRowDto,
} from './dto/series-query.dto';
import { SeriesService } from './series.service';

/**
 * The series change at most once per refresh (daily by default), so clients and any CDN in front
 * may reuse an answer for a few minutes; the page's own requests then cost nothing.
 */
export const API_CACHE_CONTROL = 'public, max-age=300';

@ApiTags('series')
@Controller('api')
export class SeriesController {
  constructor(private readonly series: SeriesService) {}

  @Get('countries')
  @Header('Cache-Control', API_CACHE_CONTROL)
  @ApiOperation({ summary: 'The 17 countries, the data date and the source/refresh status' })
  @ApiOkResponse({ type: CountriesResponseDto })
  countries(): CountriesResponseDto {
    return this.series.countries();
  }

  @Get('series')
  @Header('Cache-Control', API_CACHE_CONTROL)
  @ApiOperation({
    summary: 'Daily rows of one country: cumulative, daily change and 7-day average',
    description: '404 for an unknown country (lists the known ones); 400 for bad dates or ranges.',
  })
  @ApiOkResponse({ type: [SeriesRowDto] })
  rows(@Query() query: SeriesQueryDto): SeriesRowDto[] {
    return this.series.series(query);
  }

  @Get('export.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="covid-series.csv"')
  @ApiOperation({ summary: 'The shown series of one or more countries as CSV' })
  @ApiProduces('text/csv')
  exportCsv(@Query() query: ExportQueryDto): string {
    return this.series.exportCsv(query);
  }
}
