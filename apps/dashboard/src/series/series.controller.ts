import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { Controller, Get, Header, Headers, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ERROR_BODY_SCHEMA } from '@des/shared';
import { Encoding } from '../page/assets.repository';
import { chooseEncoding } from '../page/page.service';
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

const CSV_EXAMPLE = [
  'country,code,metric,date,cumulative,daily,avg7,population,cumulativePerMillion,dailyPerMillion,avg7PerMillion',
  'Singapore,SG,confirmed,2023-03-09,2235294,0,1258.29,5850343,382081.237,0,215.081',
  '"Korea, South",KR,confirmed,2023-03-09,30615522,10335,10416.71,51269183,597151.834,201.583,203.177',
].join('\n');

@ApiTags('series')
@Controller('api')
export class SeriesController {
  /** The last country list sent, compressed once: it changes only with a load or refresh. */
  private countriesBody = { json: '', bodies: new Map<Encoding, Buffer>() };

  constructor(private readonly series: SeriesService) {}

  @Get('countries')
  @Header('Cache-Control', API_CACHE_CONTROL)
  @ApiOperation({
    summary: 'Every Country/Region with its id, population and weekly-reporting stretches',
    description:
      'The 201 entries of the JHU files; `kind: other` marks cruise ships, Olympic games and Antarctica. Also the data date and the snapshot/live refresh status.',
  })
  @ApiOkResponse({ type: CountriesResponseDto })
  countries(@Headers('accept-encoding') acceptEncoding = '', @Res() res: Response): void {
    // 36 KB of JSON for 201 entries, part of every first page load: sent compressed (about 5 KB).
    const json = JSON.stringify(this.series.countries());
    if (json !== this.countriesBody.json) this.countriesBody = { json, bodies: new Map() };
    const encoding = chooseEncoding(acceptEncoding);
    const bodies = this.countriesBody.bodies;
    if (!bodies.has(encoding)) bodies.set(encoding, compress(Buffer.from(json), encoding));
    res.set({ 'Content-Type': 'application/json; charset=utf-8', Vary: 'Accept-Encoding' });
    if (encoding !== 'identity') res.set('Content-Encoding', encoding);
    res.status(200).end(bodies.get(encoding));
  }

  @Get('series')
  @Header('Cache-Control', API_CACHE_CONTROL)
  @ApiOperation({
    summary: 'Daily rows of one country: cumulative, daily change and 7-day average',
    description: 'With `per=million` each row also carries the per-million values.',
  })
  @ApiOkResponse({ type: [SeriesRowDto] })
  @ApiBadRequestResponse({
    schema: ERROR_BODY_SCHEMA,
    description: 'Bad date, range, metric or per; per=million for a country without population',
  })
  @ApiNotFoundResponse({ schema: ERROR_BODY_SCHEMA, description: 'Unknown country' })
  rows(@Query() query: SeriesQueryDto): SeriesRowDto[] {
    return this.series.series(query);
  }

  @Get('export.csv')
  @ApiOperation({
    summary: 'The shown series of one or more countries as CSV',
    description:
      'Repeat `country` for several countries. With `per=million` the CSV adds the population used and the per-million values. Errors answer JSON, never a CSV.',
  })
  @ApiOkResponse({
    description: 'CSV with a header row',
    content: { 'text/csv': { schema: { type: 'string' }, example: CSV_EXAMPLE } },
  })
  @ApiBadRequestResponse({ schema: ERROR_BODY_SCHEMA, description: 'No country, bad range or per' })
  @ApiNotFoundResponse({ schema: ERROR_BODY_SCHEMA, description: 'Unknown country' })
  exportCsv(@Query() query: ExportQueryDto, @Res({ passthrough: true }) res: Response): string {
    const csv = this.series.exportCsv(query);
    // Set only once the CSV exists: an error keeps the JSON content type of its body.
    res.set({
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="covid-series.csv"',
      'Cache-Control': API_CACHE_CONTROL,
    });
    return csv;
  }
}

function compress(body: Buffer, encoding: Encoding): Buffer {
  if (encoding === 'br') {
    return brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } });
  }
  return encoding === 'gzip' ? gzipSync(body) : body;
}
