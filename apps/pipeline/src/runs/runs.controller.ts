import { Controller, Get, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ListRunsQuery } from './dto/list-runs.query';
import { RunIdParam } from './dto/run-id.param';
import { RunListView, RunView } from './dto/run.view';
import { TriggerRunQuery } from './dto/trigger-run.query';
import { RunsService } from './runs.service';

@ApiTags('runs')
@Controller('runs')
export class RunsController {
  constructor(private readonly runs: RunsService) {}

  @Post()
  @ApiOperation({
    summary: 'Trigger a run now (202 at once, or 200 with the result when wait=true)',
  })
  @ApiResponse({ status: 202, type: RunView })
  @ApiResponse({ status: 200, type: RunView })
  async trigger(
    @Query() query: TriggerRunQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RunView> {
    const { finished, view } = await this.runs.trigger(query.wait);
    response.status(finished ? HttpStatus.OK : HttpStatus.ACCEPTED);
    return view;
  }

  @Get()
  @ApiOperation({ summary: 'Run history, newest first, with per-file counts' })
  @ApiOkResponse({ type: RunListView })
  list(@Query() query: ListRunsQuery): Promise<RunListView> {
    return this.runs.listRuns(query.limit, query.offset);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One run with its per-file counts' })
  @ApiOkResponse({ type: RunView })
  find(@Param() params: RunIdParam): Promise<RunView> {
    return this.runs.findRun(params.id);
  }
}
