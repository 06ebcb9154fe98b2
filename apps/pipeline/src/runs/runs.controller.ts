import { Controller, Get, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ErrorView } from './dto/error.view';
import { ListRunsQuery } from './dto/list-runs.query';
import { RunIdParam } from './dto/run-id.param';
import { RUN_EXAMPLE, RUN_LIST_EXAMPLE, STARTED_RUN_EXAMPLE } from './dto/run.examples';
import { RunListView, RunView } from './dto/run.view';
import { TriggerRunQuery } from './dto/trigger-run.query';
import { RunsService } from './runs.service';

const badRequest = (message: string) =>
  ApiBadRequestResponse({
    description: 'A parameter is malformed or out of range',
    type: ErrorView,
    example: {
      statusCode: 400,
      error: 'Bad Request',
      message,
      correlationId: 'f3b1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    },
  });

@ApiTags('runs')
@Controller('runs')
export class RunsController {
  constructor(private readonly runs: RunsService) {}

  @Post()
  @ApiOperation({
    summary: 'Trigger a run now (202 at once, or 200 with the result when wait=true)',
  })
  @ApiResponse({
    status: 202,
    description: 'The run is registered and going on in the background',
    type: RunView,
    example: STARTED_RUN_EXAMPLE,
  })
  @ApiResponse({
    status: 200,
    description: 'wait=true: the finished run',
    type: RunView,
    example: RUN_EXAMPLE,
  })
  @badRequest('wait must be a boolean value')
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
  @ApiOkResponse({ type: RunListView, example: RUN_LIST_EXAMPLE })
  @badRequest('limit must not be greater than 100')
  list(@Query() query: ListRunsQuery): Promise<RunListView> {
    return this.runs.listRuns(query.limit, query.offset);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'One run with its per-file counts (live progress while it is running)',
  })
  @ApiOkResponse({ type: RunView, example: RUN_EXAMPLE })
  @badRequest('id must look like 20260101T100000Z-1a2b3c')
  @ApiNotFoundResponse({
    description: 'No run has this id',
    type: ErrorView,
    example: {
      statusCode: 404,
      error: 'Not Found',
      message: 'Run 20260101T100000Z-1a2b3c does not exist',
      correlationId: 'f3b1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    },
  })
  find(@Param() params: RunIdParam): Promise<RunView> {
    return this.runs.findRun(params.id);
  }
}
