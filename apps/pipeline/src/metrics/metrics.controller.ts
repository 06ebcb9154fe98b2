import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';

const EXAMPLE = `# HELP pipeline_runs Runs by status.
# TYPE pipeline_runs gauge
pipeline_runs{status="completed"} 12
# HELP pipeline_rows_total Rows of committed runs by outcome.
# TYPE pipeline_rows_total counter
pipeline_rows_total{outcome="successful"} 389229
`;

interface Totals {
  status: string;
  runs: string;
  rows_read: string;
  successful: string;
  failed: string;
  duplicates: string;
  already_emitted: string;
  seconds: number | null;
}

/** Prometheus text format, from the run history (so it holds across restarts and replicas). */
@ApiTags('metrics')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Runs, rows by outcome and run durations, in Prometheus text format' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ schema: { type: 'string' }, example: EXAMPLE })
  async metrics(): Promise<string> {
    const rows = (await this.dataSource.query(
      `SELECT status, count(*) AS runs, coalesce(sum(rows_read), 0) AS rows_read,
              coalesce(sum(successful), 0) AS successful, coalesce(sum(failed), 0) AS failed,
              coalesce(sum(duplicates), 0) AS duplicates,
              coalesce(sum(already_emitted), 0) AS already_emitted,
              sum(extract(epoch FROM finished_at - started_at))::float8 AS seconds
       FROM "pipeline"."runs" GROUP BY status ORDER BY status`,
    )) as Totals[];
    const completed = rows.filter((row) => row.status === 'completed');
    const total = (pick: (row: Totals) => string) =>
      completed.reduce((sum, row) => sum + Number(pick(row)), 0);
    const lines = [
      '# HELP pipeline_runs Runs by status.',
      '# TYPE pipeline_runs gauge',
      ...rows.map((row) => `pipeline_runs{status="${row.status}"} ${row.runs}`),
      '# HELP pipeline_rows_total Rows of completed runs by outcome.',
      '# TYPE pipeline_rows_total counter',
      `pipeline_rows_total{outcome="read"} ${total((row) => row.rows_read)}`,
      `pipeline_rows_total{outcome="successful"} ${total((row) => row.successful)}`,
      `pipeline_rows_total{outcome="failed"} ${total((row) => row.failed)}`,
      `pipeline_rows_total{outcome="duplicate"} ${total((row) => row.duplicates)}`,
      `pipeline_rows_total{outcome="already_emitted"} ${total((row) => row.already_emitted)}`,
      '# HELP pipeline_run_duration_seconds Wall time of finished runs.',
      '# TYPE pipeline_run_duration_seconds summary',
      ...rows
        .filter((row) => row.seconds !== null)
        .flatMap((row) => [
          `pipeline_run_duration_seconds_sum{status="${row.status}"} ${row.seconds}`,
          `pipeline_run_duration_seconds_count{status="${row.status}"} ${row.runs}`,
        ]),
    ];
    return `${lines.join('\n')}\n`;
  }
}
