import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { API_CACHE_CONTROL } from '../series/series.controller';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ERROR_BODY_SCHEMA } from '@des/shared';
import { CompatService } from './compat.service';
import { CompatCaseDto, CompatParamsDto, CompatQueryDto } from './dto/compat.dto';

@ApiTags('covid19api-compatible')
@Controller('country')
export class CompatController {
  constructor(private readonly compat: CompatService) {}

  @Get(':slug/status/:status')
  @Header('Cache-Control', API_CACHE_CONTROL)
  @ApiOperation({ summary: 'Cumulative counts per day, in the covid19api.com format' })
  @ApiOkResponse({ type: [CompatCaseDto] })
  @ApiBadRequestResponse({
    schema: ERROR_BODY_SCHEMA,
    description: 'Status other than confirmed or deaths, bad from/to',
  })
  @ApiNotFoundResponse({ schema: ERROR_BODY_SCHEMA, description: 'Unknown country' })
  countryStatus(@Param() params: CompatParamsDto, @Query() query: CompatQueryDto): CompatCaseDto[] {
    return this.compat.countryStatus(params, query);
  }
}
