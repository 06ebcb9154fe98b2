import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ListLoadsQuery } from './dto/list-loads.query';
import { LoadIdParam } from './dto/load-id.param';
import { LoadRunListView, LoadRunView } from './dto/load-run.view';
import { LoadsService } from './loads.service';

@ApiTags('loads')
@Controller('loads')
export class LoadsController {
  constructor(private readonly loads: LoadsService) {}

  @Get()
  @ApiOperation({ summary: 'Run records of every job (loaded, skipped, failed), newest first' })
  @ApiOkResponse({ type: LoadRunListView })
  @ApiBadRequestResponse({ description: 'Bad paging or job name' })
  list(@Query() query: ListLoadsQuery): Promise<LoadRunListView> {
    return this.loads.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One run record with its files, checksums and checks' })
  @ApiOkResponse({ type: LoadRunView })
  @ApiBadRequestResponse({ description: 'The id is not a positive whole number' })
  @ApiNotFoundResponse({ description: 'No run with that id' })
  find(@Param() params: LoadIdParam): Promise<LoadRunView> {
    return this.loads.find(params.id);
  }
}
