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

/** Peak RSS over a phase, sampled every 20 ms (the process's own maxRSS covers the whole run). */
async function measured<T>(
  work: () => Promise<T>,
): Promise<{ result: T; seconds: number; peakRssMb: number }> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = process.hrtime.bigint();
  try {
    const result = await work();
    return {
      result,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
      peakRssMb: peak / 2 ** 20,
    };
  } finally {
    clearInterval(sampler);
  }
}

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

/** Generation runs in a child process so its buffers do not count in the job's peak RSS. */
async function generate(folder: string, rows: number): Promise<void> {
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
  await writeDeliveryFiles(folder, limited, {
    codec: 'zstd',
    files: 4,
    rowGroupSize: 50_000,
    shuffleSeed: 9,
  });
}

function generateInChild(folder: string, rows: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['generate', folder, String(rows)], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`generator exited with ${code}`)),
    );
  });
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
    const generated = await measured(() => generateInChild(folder, rows));
    console.log(`  generated in ${generated.seconds.toFixed(1)} s`);
    for (let round = 1; round <= rounds; round++) {
      const baseline = await measured(() => readOnly(folder));
      const prepared = await jobRound(root);
      const statements = timeStatements();
      const job = await measured(() => prepared.run()).finally(() => statements.restore());
      await prepared.close();
      const baselineRate = baseline.result / baseline.seconds;
      const jobRate = job.result / job.seconds;
      console.log(
        `  round ${round}: baseline read ${baseline.result.toLocaleString('en')} rows in ${baseline.seconds.toFixed(1)} s ` +
          `(${Math.round(baselineRate).toLocaleString('en')} rows/s, peak RSS ${baseline.peakRssMb.toFixed(0)} MB); ` +
          `job ${job.result.toLocaleString('en')} rows in ${job.seconds.toFixed(1)} s ` +
          `(${Math.round(jobRate).toLocaleString('en')} rows/s, peak RSS ${job.peakRssMb.toFixed(0)} MB); ` +
          `ratio job/baseline ${(jobRate / baselineRate).toFixed(2)}×`,
      );
      console.log(`    job time by statement: ${statements.report()}`);
    }
    const maxRssMb = process.resourceUsage().maxRSS / 1024;
    console.log(`  peak RSS of the bench process: ${maxRssMb.toFixed(0)} MB (goal < 300 MB)`);
  } finally {
    await rm(root, { recursive: true, force: true });
    await server.stop();
  }
}

if (process.argv[2] === 'generate') {
  generate(process.argv[3]!, Number(process.argv[4])).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
