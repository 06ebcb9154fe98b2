import { Injectable } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { LoadRun, NewLoadRun } from './load-run';

const COLUMNS = `id, job, to_char(delivery, 'YYYYMMDD') AS delivery, process, trigger, outcome,
  content_sha256, same_as, files, rows_read, rows_loaded, phase_ms, checks, error,
  started_at, finished_at, run_by`;

interface LoadRunRow {
  id: number;
  job: string;
  delivery: string | null;
  process: LoadRun['process'];
  trigger: string;
  outcome: LoadRun['outcome'];
  content_sha256: string | null;
  same_as: number | null;
  files: LoadRun['files'];
  rows_read: string | null;
  rows_loaded: string | null;
  phase_ms: Record<string, number> | null;
  checks: LoadRun['checks'];
  error: string | null;
  started_at: Date;
  finished_at: Date;
  run_by: string;
}

const toLoadRun = (row: LoadRunRow): LoadRun => ({
  id: row.id,
  job: row.job,
  delivery: row.delivery,
  process: row.process,
  trigger: row.trigger,
  outcome: row.outcome,
  contentSha256: row.content_sha256,
  sameAs: row.same_as,
  files: row.files,
  rowsRead: row.rows_read === null ? null : Number(row.rows_read),
  rowsLoaded: row.rows_loaded === null ? null : Number(row.rows_loaded),
  phaseMs: row.phase_ms,
  checks: row.checks,
  error: row.error,
  startedAt: row.started_at.toISOString(),
  finishedAt: row.finished_at.toISOString(),
  runBy: row.run_by,
});

/**
 * `warehouse.load_runs`. Writes go through the run's own connection (the load role, inside or
 * after its transaction); reads for the API through the app's pool.
 */
@Injectable()
export class LoadRunsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async nextId(client: Client): Promise<number> {
    const { rows } = await client.query<{ id: number }>(
      `SELECT nextval(pg_get_serial_sequence('warehouse.load_runs', 'id'))::integer AS id`,
    );
    return rows[0].id;
  }

  async insert(client: Client, run: NewLoadRun): Promise<LoadRun> {
    const { rows } = await client.query<LoadRunRow>(
      `INSERT INTO warehouse.load_runs (id, job, delivery, process, trigger, outcome,
         content_sha256, same_as, files, rows_read, rows_loaded, phase_ms, checks, error, started_at)
       VALUES ($1, $2, to_date($3, 'YYYYMMDD'), $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       RETURNING ${COLUMNS}`,
      [
        run.id,
        run.job,
        run.delivery,
        run.process,
        run.trigger,
        run.outcome,
        run.contentSha256,
        run.sameAs,
        JSON.stringify(run.files),
        run.rowsRead,
        run.rowsLoaded,
        run.phaseMs === null ? null : JSON.stringify(run.phaseMs),
        JSON.stringify(run.checks),
        run.error,
        run.startedAt,
      ],
    );
    return toLoadRun(rows[0]);
  }

  /** The latest run that loaded this delivery (with this content, when given), if any. */
  async findLoaded(
    client: Client,
    job: string,
    delivery: string,
    contentSha256?: string,
  ): Promise<number | undefined> {
    const { rows } = await client.query<{ id: number }>(
      `SELECT id FROM warehouse.load_runs
       WHERE job = $1 AND delivery = to_date($2, 'YYYYMMDD')
         AND ($3::text IS NULL OR content_sha256 = $3) AND outcome = 'loaded'
       ORDER BY id DESC LIMIT 1`,
      [job, delivery, contentSha256 ?? null],
    );
    return rows[0]?.id;
  }

  async list(options: {
    job?: string;
    limit: number;
    offset: number;
  }): Promise<{ total: number; items: LoadRun[] }> {
    const rows: Array<LoadRunRow & { total: string }> = await this.dataSource.query(
      `SELECT ${COLUMNS}, count(*) OVER () AS total FROM warehouse.load_runs
       WHERE $1::text IS NULL OR job = $1
       ORDER BY id DESC LIMIT $2 OFFSET $3`,
      [options.job ?? null, options.limit, options.offset],
    );
    const total = rows.length
      ? Number(rows[0].total)
      : Number(
          (
            await this.dataSource.query(
              'SELECT count(*) AS total FROM warehouse.load_runs WHERE $1::text IS NULL OR job = $1',
              [options.job ?? null],
            )
          )[0].total,
        );
    return { total, items: rows.map(toLoadRun) };
  }

  async find(id: number): Promise<LoadRun | undefined> {
    const rows: LoadRunRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM warehouse.load_runs WHERE id = $1`,
      [id],
    );
    return rows[0] && toLoadRun(rows[0]);
  }
}
