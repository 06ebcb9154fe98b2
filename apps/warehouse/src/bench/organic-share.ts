import 'reflect-metadata';
import { fork } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { NestFactory } from '@nestjs/core';
import { createTestDatabase, startTestServer } from '@des/shared/testing';
import { AppModule } from '../app.module';
import { loadConfig } from '../config';
import { LoadRunner } from '../loads/load-runner.service';
import { marketingRows, writeDeliveryFiles } from '../organic-share/marketing-generator';
import { MARKETING_COLUMNS } from '../organic-share/marketing-columns';
import { ParquetFileReader } from '../parquet';

const COUNTRIES = [
  'GB',
  'IT',
  'FR',
  'DE',
  'ES',
  'NL',
  'BE',
  'IE',
  'PT',
  'AT',
  'CH',
  'SE',
  'DK',
  'NO',
  'FI',
];
/** Rows a generated day has: 15 countries × 3 OS × 26 channels + 26 ALL rows, less the gaps. */
const ROWS_PER_DAY = 1_000;
const DELIVERY = '20261207';

/**
 * Where the job's time goes: the bench (only) wraps pg's Client#query to add up the time of each
 * kind of statement (COPY includes reading and decoding the Parquet it streams).
 */
function timeStatements(): { report(): string; restore(): void } {
  const original = Client.prototype.query;
  const totals = new Map<string, number>();
  const label = (config: unknown): string => {
    const text =
      typeof config === 'string' ? config : ((config as { text?: string })?.text ?? 'COPY');
    return text.trim().split(/\s+/).slice(0, 3).join(' ').slice(0, 40);
  };
  Client.prototype.query = function (this: Client, ...args: unknown[]) {
    const started = process.hrtime.bigint();
    const result = (original as (...a: unknown[]) => unknown).apply(this, args);
    const add = () => {
      const key = label(args[0]);
      totals.set(key, (totals.get(key) ?? 0) + Number(process.hrtime.bigint() - started) / 1e9);
    };
    if (result && typeof (result as Promise<unknown>).then === 'function')
      (result as Promise<unknown>).then(add, add);
    else if (result && typeof (result as NodeJS.EventEmitter).on === 'function') {
      (result as NodeJS.EventEmitter).on('finish', add).on('error', add);
    }
    return result;
  } as typeof Client.prototype.query;
  return {
    report: () =>
      [...totals.entries()]
        .filter(([, seconds]) => seconds >= 0.05)
        .sort((a, b) => b[1] - a[1])
        .map(([key, seconds]) => `${key} ${seconds.toFixed(1)} s`)
        .join('; '),
    restore: () => {
      Client.prototype.query = original;
    },
  };
}

/** The baseline: read every row of every file (all columns), writing nothing. */
async function readOnly(folder: string): Promise<number> {
  let rows = 0;
  for (const name of (await readdir(folder)).sort()) {
    const reader = await ParquetFileReader.open(join(folder, name), MARKETING_COLUMNS);
    for await (const group of reader.rowGroups()) rows += group.rowCount;
    await reader.close();
  }
  return rows;
}

/** A fresh database and an app context (CLI mode) for one round of the job; not timed. */
async function jobRound(sourceDir: string) {
  const database = await createTestDatabase('warehouse_bench');
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: database.url,
    WAREHOUSE_SOURCE_DIR: sourceDir,
    WAREHOUSE_ORGANIC_SHARE_CRON: 'off',
    WAREHOUSE_SUPPLIER_CRON: 'off',
    LOG_LEVEL: 'silent',
  });
  const app = await NestFactory.createApplicationContext(
    AppModule.register(config, { server: false }),
    {
      logger: ['error'],
    },
  );
  return {
    /** The job as it runs in production: the runner, the lock, one transaction, the run record. */
    async run(): Promise<number> {
      const run = await app
        .get(LoadRunner)
        .run('organic-share', { delivery: DELIVERY, trigger: 'cli' });
      if (run.outcome !== 'loaded') throw new Error(`bench run ${run.outcome}: ${run.error}`);
      return run.rowsLoaded ?? 0;
    },
    async close(): Promise<void> {
      await app.close();
      await database.drop();
    },
  };
}

interface Measured {
  rows: number;
  seconds: number;
  peakRssMb: number;
}

/**
 * Each measured phase runs in a fresh process, as the app's process would run the job: its peak
 * RSS (the kernel's maxRSS for the process) is the phase's own, not what earlier phases left.
 */
function inChild<T>(args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    // Measured phases inherit this process's node flags (the app's heap cap, from package.json);
    // the generator, not a production path, holds a row group per file and runs without it.
    const execArgv = args[0] === 'generate' ? [] : process.execArgv;
    const child = fork(__filename, args, {
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
      execArgv,
    });
    let result: T | undefined;
    child.on('message', (message) => (result = message as T));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 && result
        ? resolve(result)
        : reject(new Error(`bench ${args[0]} exited with ${code}`)),
    );
  });
}

/** One phase in this (child) process, reported to the parent: rows, seconds, peak RSS. */
async function childMeasure(phase: string, path: string, rowsToGenerate: number): Promise<void> {
  const prepared = phase === 'job' ? await jobRound(path) : undefined;
  const statements = prepared ? timeStatements() : undefined;
  const started = process.hrtime.bigint();
  const rows = prepared
    ? await prepared.run()
    : phase === 'generate'
      ? await generate(path, rowsToGenerate)
      : await readOnly(path);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const byStatement = statements?.report();
  statements?.restore();
  await prepared?.close();
  process.send!({
    rows,
    seconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    statements: byStatement,
  });
}

/** Generation runs in a child process so its buffers do not count in the job's peak RSS. */
async function generate(folder: string, rows: number): Promise<number> {
  const days = Math.ceil(rows / ROWS_PER_DAY) + 1;
  const limited = (function* () {
    let count = 0;
    for (const values of marketingRows({
      from: '2001-01-01',
      days,
      countries: COUNTRIES,
      seed: 42,
    })) {
      if (count++ >= rows) return;
      yield values;
    }
  })();
  const written = await writeDeliveryFiles(folder, limited, {
    codec: 'zstd',
    files: 4,
    rowGroupSize: 50_000,
    shuffleSeed: 9,
  });
  return written.rows;
}

/**
 * `npm run bench -w apps/warehouse` (organic-share part): BENCH_ORGANIC_ROWS daily rows (default
 * 1,000,000; 10,000,000 for the large run) as 4 zstd files, then, alternating for
 * BENCH_ROUNDS rounds: the baseline (read the same Parquet files, write nothing) and the whole job
 * (Parquet → stage → checks → marketing_daily → organic_share_weekly → checks, one transaction).
 */
export async function benchOrganicShare(): Promise<void> {
  Logger.overrideLogger(['error', 'warn']);
  const rows = Number(process.env.BENCH_ORGANIC_ROWS ?? 1_000_000);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
  const server = await startTestServer();
  process.env.DATABASE_URL = server.url;
  const root = await mkdtemp(join(tmpdir(), 'warehouse-bench-'));
  const folder = join(root, 'marketing', DELIVERY);
  try {
    console.log(
      `organic-share bench: generating ${rows.toLocaleString('en')} daily rows (4 zstd files)…`,
    );
    const generated = await inChild<Measured>(['generate', folder, String(rows)]);
    console.log(`  generated in ${generated.seconds.toFixed(1)} s`);
    for (let round = 1; round <= rounds; round++) {
      const baseline = await inChild<Measured>(['baseline', folder]);
      const job = await inChild<Measured & { statements: string }>(['job', root]);
      const baselineRate = baseline.rows / baseline.seconds;
      const jobRate = job.rows / job.seconds;
      console.log(
        `  round ${round}: baseline read ${baseline.rows.toLocaleString('en')} rows in ${baseline.seconds.toFixed(1)} s ` +
          `(${Math.round(baselineRate).toLocaleString('en')} rows/s, peak RSS ${baseline.peakRssMb.toFixed(0)} MB); ` +
          `job ${job.rows.toLocaleString('en')} rows in ${job.seconds.toFixed(1)} s ` +
          `(${Math.round(jobRate).toLocaleString('en')} rows/s, peak RSS ${job.peakRssMb.toFixed(0)} MB); ` +
          `ratio job/baseline ${(jobRate / baselineRate).toFixed(2)}×`,
      );
      console.log(`    job time by statement: ${job.statements}`);
    }
    console.log(
      '  (peak RSS: the whole process that read, or ran the job, from its start; goal < 300 MB)',
    );
  } finally {
    await rm(root, { recursive: true, force: true });
    await server.stop();
  }
}

const [, , phase, path, rows] = process.argv;
if (phase === 'generate' || phase === 'baseline' || phase === 'job') {
  Logger.overrideLogger(['error', 'warn']);
  childMeasure(phase, path!, Number(rows)).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
