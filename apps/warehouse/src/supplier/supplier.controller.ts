import { Controller, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { NightQuery } from '../loads/dto/delivery.query';
import { LoadRunView } from '../loads/dto/load-run.view';
import { LoadsService } from '../loads/loads.service';

@ApiTags('loads')
@Controller('loads')
export class SupplierController {
  constructor(private readonly loads: LoadsService) {}

  @Post('supplier')
  @ApiOperation({
    summary: "Load a night's supplier files now (stage, checks, history) and return the record",
  })
  @ApiCreatedResponse({
    type: LoadRunView,
    description: 'Loaded, or skipped because that night was already loaded with the same content',
  })
  @ApiBadRequestResponse({ description: 'night is not a date as YYYYMMDD' })
  @ApiConflictResponse({ description: 'A supplier load is already running' })
  @ApiServiceUnavailableResponse({
    description: 'The load could not connect to PostgreSQL (e.g. TLS refused); nothing ran',
  })
  @ApiUnprocessableEntityResponse({
    description:
      'The load failed and nothing was loaded: the body names the file, line and column and carries the load record',
  })
  load(@Query() query: NightQuery): Promise<LoadRunView> {
    return this.loads.trigger('supplier', { delivery: query.night, trigger: 'http' });
  }
}
