import { Controller, Get, Param, Query } from '@nestjs/common';
import { StrictIdPipe } from '@des/shared';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { errorResponse } from './dto/error-responses';
import { ListLoadsQuery } from './dto/list-loads.query';
import { LoadRunListView, LoadRunView } from './dto/load-run.view';
import { LoadsService } from './loads.service';

@ApiTags('loads')
@Controller('loads')
export class LoadsController {
  constructor(private readonly loads: LoadsService) {}

  @Get()
  @ApiOperation({ summary: 'Run records of every job (loaded, skipped, failed), newest first' })
  @ApiOkResponse({ type: LoadRunListView })
  list(@Query() query: ListLoadsQuery): Promise<LoadRunListView> {
    return this.loads.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One run record with its files, checksums and checks' })
  @ApiOkResponse({ type: LoadRunView })
  @ApiNotFoundResponse(errorResponse('No run with that id'))
  @ApiParam({ name: 'id', example: 12, description: 'The run id (a whole number from 1)' })
  find(@Param('id', new StrictIdPipe('int4')) id: number): Promise<LoadRunView> {
    return this.loads.find(id);
  }
}
