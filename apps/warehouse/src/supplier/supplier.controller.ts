import { Controller, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { NightQuery } from '../loads/dto/delivery.query';
import { errorResponse, failedLoadResponse } from '../loads/dto/error-responses';
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
  @ApiConflictResponse(errorResponse('A supplier load is already running; this one was refused'))
  @ApiServiceUnavailableResponse(
    errorResponse('The load could not connect to PostgreSQL (e.g. TLS refused); nothing ran'),
  )
  @ApiUnprocessableEntityResponse(
    failedLoadResponse(
      'The load failed and nothing was loaded: the message names the file, line and column; `load` is the run record',
    ),
  )
  load(@Query() query: NightQuery): Promise<LoadRunView> {
    return this.loads.trigger('supplier', { delivery: query.night, trigger: 'http' });
  }
}
