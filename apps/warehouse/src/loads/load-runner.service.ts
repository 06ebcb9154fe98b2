import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '@des/shared';
import { WarehouseConfig } from '../config';
import { Client } from 'pg';
import { CheckRecorder } from './checks';
import { DeliveryFoldersRepository } from './delivery-folders.repository';
import { LoadError, LoadInProgressError } from './errors';
import { JobRegistry } from './job-registry';
import { LoadConnections } from './load-connections';
import { LoadRun, LoadTrigger, NewLoadRun } from './load-run';
import { LoadRunsRepository } from './load-runs.repository';
import { ChecksummedDelivery, Delivery, LoadProgress, WarehouseJob } from './warehouse-job';
import { checksumDelivery, FileChecksums } from './file-checksums';

export interface RunOptions {
  /** `YYYYMMDD`; the newest delivery folder when absent. */
  delivery?: string;
  trigger: LoadTrigger;
  onProgress?: (progress: LoadProgress) => void;
}

/**
 * Runs warehouse jobs the one way: lock the job (two runs never interleave; the second is
 * refused), find the delivery, skip content already loaded for that delivery, then in ONE
 * transaction let the job read (checksumming the files on that read), check and publish, and
 * record the run with every file's SHA-256.
 * Any failure rolls the job's writes back and is recorded (append-only) with its reason.
 */
@Injectable()
export class LoadRunner {
  private readonly logger = new Logger(LoadRunner.name);

  constructor(
    private readonly jobs: JobRegistry,
    private readonly deliveries: DeliveryFoldersRepository,
    private readonly runs: LoadRunsRepository,
    private readonly connections: LoadConnections,
    @Inject(APP_CONFIG) private readonly config: WarehouseConfig,
  ) {}

  async run(jobName: string, options: RunOptions): Promise<LoadRun> {
    const job = this.jobs.get(jobName);
    const startedAt = new Date().toISOString();
    const client = await this.connections.open();
    try {
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock(hashtext($1)) AS locked',
        [lockKey(job.name)],
      );
      if (!rows[0].locked) throw new LoadInProgressError(job.name);
      try {
        return await this.runLocked(client, job, options, startedAt);
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey(job.name)]);
      }
    } finally {
      await client.end();
    }
  }

  private async runLocked(
    client: Client,
    job: WarehouseJob,
    options: RunOptions,
    startedAt: string,
  ): Promise<LoadRun> {
    const base = {
      job: job.name,
      process: 'service' as const,
      trigger: options.trigger,
      startedAt,
    };
    const checks = new CheckRecorder();
    let delivery: Delivery | undefined;
    let checksums = new FileChecksums();
    let checked: ChecksummedDelivery | undefined;
    let id: number | undefined;
    let inTransaction = false;
    try {
      delivery = await this.deliveries.open(job, options.delivery);
      // The job checksums the files on the same read that loads them. Only a delivery loaded
      // before needs its checksums first: to skip the same content.
      if ((await this.runs.findLoaded(client, job.name, delivery.id)) !== undefined) {
        const before = await checksumDelivery(delivery);
        const sameAs = await this.runs.findLoaded(
          client,
          job.name,
          delivery.id,
          before.contentSha256,
        );
        if (sameAs !== undefined) {
          const skipped = await this.runs.insert(client, {
            ...base,
            ...describe(before),
            id: await this.runs.nextId(client),
            outcome: 'skipped',
            sameAs,
            rowsRead: null,
            rowsLoaded: null,
            phaseMs: null,
            checks: [],
            error: null,
          });
          this.logger.log(`${job.name} ${delivery.id}: skipped, same content as run #${sameAs}`);
          return skipped;
        }
        checksums = new FileChecksums(before);
      }
      await client.query('BEGIN');
      inTransaction = true;
      for (const setting of ['work_mem', 'maintenance_work_mem']) {
        await client.query(`SET LOCAL ${setting} = '${this.config.WAREHOUSE_LOAD_WORK_MEM}'`);
      }
      id = await this.runs.nextId(client);
      const { rows } = await client.query<{ now: Date }>('SELECT now()');
      const outcome = await job.run({
        client,
        delivery,
        loadId: id,
        loadTs: rows[0].now,
        checks,
        checksums,
        progress: options.onProgress ?? (() => undefined),
      });
      checks.assertPassed();
      checked = await checksums.complete(delivery);
      const loaded = await this.runs.insert(client, {
        ...base,
        ...describe(checked),
        id,
        outcome: 'loaded',
        sameAs: null,
        rowsRead: outcome.rowsRead,
        rowsLoaded: outcome.rowsLoaded,
        phaseMs: outcome.phaseMs ?? null,
        checks: checks.list(),
        error: null,
      });
      await client.query('COMMIT');
      this.logger.log(`${job.name} ${delivery.id}: run #${id} loaded ${outcome.rowsLoaded} rows`);
      return loaded;
    } catch (error) {
      if (inTransaction) await client.query('ROLLBACK');
      if (error instanceof LoadInProgressError) throw error;
      // The record names the files the run was given, checksummed as they are now.
      checked ??= delivery && (await checksums.complete(delivery).catch(() => undefined));
      const failed: NewLoadRun = {
        ...base,
        delivery: delivery?.id ?? options.delivery ?? null,
        files: checked ? describe(checked).files : [],
        contentSha256: checked?.contentSha256 ?? null,
        id: id ?? (await this.runs.nextId(client)),
        outcome: 'failed',
        sameAs: null,
        rowsRead: null,
        rowsLoaded: null,
        phaseMs: null,
        checks: checks.list(),
        error: errorMessage(error),
      };
      if (!(error instanceof LoadError) && !checks.list().some((check) => !check.passed)) {
        this.logger.error(`${job.name}: run failed unexpectedly`, (error as Error).stack);
      }
      const recorded = await this.runs.insert(client, failed);
      this.logger.warn(
        `${job.name} ${failed.delivery ?? ''}: run #${recorded.id} failed: ${failed.error}`,
      );
      return recorded;
    }
  }
}

const lockKey = (job: string) => `warehouse:job:${job}`;

function describe(delivery: ChecksummedDelivery) {
  return {
    delivery: delivery.id,
    contentSha256: delivery.contentSha256,
    files: delivery.files.map(({ name, bytes, sha256 }) => ({ name, bytes, sha256 })),
  };
}

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));
