import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { appDataSourceOptions, runMigrationsLocked } from '@des/shared';
import { startTestServer, TestDatabase } from '@des/shared/testing';
import { ChildProcess, execFile, fork, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { entities } from '../database/entities';
import { migrations } from '../database/migrations';
import { SalesDatabase } from '../database/sales-database';
import { basic, createSalesTestDatabase, createTeamUsers, removeTeamUsers } from '../e2e-fixtures';
import { GeneratorRepository } from '../generator/generator.repository';
import { GeneratorService } from '../generator/generator.service';
import { TransactionsImportService } from '../transactions-import/transactions-import.service';
import { TRANSACTIONS_HEADER } from '../transactions-import/transactions-csv';
import { httpLoad, LoadResult } from './http-load';

const run = promisify(execFile);
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const TRANSACTIONS = env('BENCH_TRANSACTIONS', 200_000);
const ROUNDS = env('BENCH_ROUNDS', 2);
const SECONDS = env('BENCH_SECONDS', 10);
const CONNECTIONS = 10;
const APP_PORT = env('BENCH_PORT', 4400);
/** Throwaway databases are named `<prefix>_<round>_…` (a shared server: each user its own prefix). */
const DATABASE_PREFIX = process.env.BENCH_DATABASE_PREFIX ?? 'sales_bench';
const BARE_PORT = APP_PORT + 1;
/** The credential cache's lifetime in the app under load: short, so expiry happens in every round. */
const AUTH_TTL_SECONDS = env('BENCH_AUTH_CACHE_SECONDS', 2);
const REPORTS = [
  '/reports/top-members',
  '/reports/top-items?by=quantity',
  '/reports/top-items?by=transactions',
];
const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');

/**
 * `npm run bench`: in one run, with alternating rounds,
 * 1. `import-transactions` (the CLI, a child process) against `psql \copy` of the same file into a
 *    table of text columns, each round in a fresh database: rows/s, ratio, the CLI's peak RSS;
 * 2. each report over HTTP at 10 connections, the app (authentication on, a short credential
 *    cache so it expires under load) against a bare node:http + pg server running the same SQL as
 *    the same team login: requests/s, ratio, p99, worst latency, the app's peak RSS and log bytes.
 */
async function main(): Promise<void> {
  Logger.overrideLogger(['error', 'warn']);
  const server = await startTestServer();
  process.env.DATABASE_URL = server.url;
  const dir = await mkdtemp(join(tmpdir(), 'sales-bench-'));
  const file = join(dir, 'transactions.csv');
  const databases: TestDatabase[] = [];
  try {
    console.log(`load average at start: ${load()}`);
    const importRounds: { copy: number; cli: number; rss: number }[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const database = await createSalesTestDatabase(`${DATABASE_PREFIX}_${round}`);
      databases.push(database);
      await prepare(database.url, round === 0 ? file : undefined);
      const copy = () => timed(() => psqlCopy(database.url, file));
      const cli = () => importWithCli(database.url, file);
      // Alternate which goes first, so neither always meets a warmer cache.
      const [copySeconds, imported] =
        round % 2 === 0
          ? [await copy(), await cli()]
          : await cli().then(async (done) => [await copy(), done] as const);
      importRounds.push({ copy: copySeconds, cli: imported.seconds, rss: imported.rssKb });
      console.log(
        `import round ${round + 1}: psql \\copy ${copySeconds.toFixed(2)} s, import-transactions ` +
          `${imported.seconds.toFixed(2)} s (ratio ${(copySeconds / imported.seconds).toFixed(3)}), ` +
          `CLI peak RSS ${Math.round(imported.rssKb / 1024)} MB; load ${load()}`,
      );
    }
    const rows = Number((await run('wc', ['-l', file])).stdout.split(' ')[0]) - 1;
    // Rounds summed, as for the reports: a round slowed by the machine weighs on both sides.
    const total = (pick: (round: (typeof importRounds)[number]) => number) =>
      importRounds.reduce((sum, round) => sum + pick(round), 0);
    const copyRate = (rows * ROUNDS) / total((round) => round.copy);
    const importRate = (rows * ROUNDS) / total((round) => round.cli);
    console.log(
      `Import (${ROUNDS} rounds): ${Math.round(importRate)} rows/s against psql \\copy ` +
        `${Math.round(copyRate)} rows/s = ${(importRate / copyRate).toFixed(3)}× (goal ≥ 0.5×); ` +
        `peak RSS ${Math.round(Math.max(...importRounds.map((r) => r.rss)) / 1024)} MB (goal < 200 MB)`,
    );

    await reports(databases[databases.length - 1].url);
  } finally {
    for (const database of databases) await database.drop();
    await rm(dir, { recursive: true, force: true });
    await server.stop();
  }
}

/** Migrates a fresh database, adds 10,000 members and the catalogue, and writes `file` if given. */
async function prepare(url: string, file?: string): Promise<void> {
  const dataSource = await new DataSource(
    appDataSourceOptions({ app: 'sales-db', url, entities, migrations, poolSize: 2 }),
  ).initialize();
  try {
    await runMigrationsLocked(dataSource, 'sales-db');
    const sales = new SalesDatabase(dataSource);
    const repository = new GeneratorRepository();
    await sales.asAdmin((sql) => repository.insertSyntheticMembers(sql, 10_000));
    const generator = new GeneratorService(sales, repository, new TransactionsImportService(sales));
    await generator.ensureCatalogue();
    if (file) {
      const written = await generator.writeFile({ transactions: TRANSACTIONS, out: file });
      console.log(`file: ${TRANSACTIONS} transactions, ${written.rows} rows`);
    }
  } finally {
    await dataSource.destroy();
  }
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

async function psqlCopy(url: string, file: string): Promise<void> {
  const columns = TRANSACTIONS_HEADER.split(',')
    .map((column) => `${column} text`)
    .join(', ');
  await run('psql', [url, '-qc', `CREATE TABLE bench_copy (${columns})`]);
  await run('psql', [url, '-qc', `\\copy bench_copy FROM '${file}' WITH (FORMAT csv, HEADER)`]);
}

/** `sales import-transactions FILE` as a user runs it; peak RSS from GNU time when present. */
async function importWithCli(
  url: string,
  file: string,
): Promise<{ seconds: number; rssKb: number }> {
  const cli = join(__dirname, '..', 'cli', 'main.js');
  const started = performance.now();
  const { stderr } = await run(
    '/usr/bin/time',
    ['-f', 'peak-rss-kb %M', process.execPath, cli, 'import-transactions', file],
    {
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const seconds = (performance.now() - started) / 1000;
  return { seconds, rssKb: Number(/peak-rss-kb (\d+)/.exec(stderr)?.[1] ?? 0) };
}

async function reports(url: string): Promise<void> {
  const users = await createTeamUsers(url);
  const app = await startChild(
    spawn(process.execPath, [join(__dirname, '..', 'main.js')], {
      env: {
        ...process.env,
        DATABASE_URL: url,
        PORT: String(APP_PORT),
        SALES_AUTH_CACHE_SECONDS: String(AUTH_TTL_SECONDS),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
    APP_PORT,
  );
  let logBytes = 0;
  app.stdout?.on('data', (chunk: Buffer) => (logBytes += chunk.length));
  const bare = await startChild(
    fork(join(__dirname, 'bare-server.js'), {
      env: {
        ...process.env,
        BARE_DATABASE_URL: url,
        BARE_ROLE: users.analytics.name,
        BARE_PORT: String(BARE_PORT),
      },
    }),
    BARE_PORT,
  );
  try {
    const idleRssKb = procStatusKb(app.pid!, 'VmRSS');
    const headers = { authorization: basic(users.analytics) };
    const measure = (port: number, path: string) =>
      httpLoad({ port, path, headers, connections: CONNECTIONS, seconds: SECONDS });
    await measure(APP_PORT, REPORTS[0]); // warm-up: first login, JIT
    await measure(BARE_PORT, REPORTS[0]);
    const appRequests = { count: 0, logBytes: -logBytes };
    console.log(
      `\nReports, ${CONNECTIONS} connections, ${SECONDS} s per round, credential cache ${AUTH_TTL_SECONDS} s:`,
    );
    for (const path of REPORTS) {
      const rounds: { app: LoadResult; bare: LoadResult }[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        const first = round % 2 === 0 ? APP_PORT : BARE_PORT;
        const a = await measure(first, path);
        const b = await measure(first === APP_PORT ? BARE_PORT : APP_PORT, path);
        const [appResult, bareResult] = first === APP_PORT ? [a, b] : [b, a];
        appRequests.count += appResult.requests;
        rounds.push({ app: appResult, bare: bareResult });
        console.log(
          `  ${path} round ${round + 1}: app ${describe(appResult)} | bare ${describe(bareResult)} | ` +
            `ratio ${(appResult.perSecond / bareResult.perSecond).toFixed(2)}; load ${load()}`,
        );
      }
      const sum = (pick: (r: { app: LoadResult; bare: LoadResult }) => number) =>
        rounds.reduce((total, r) => total + pick(r), 0);
      const ratio = sum((r) => r.app.perSecond) / sum((r) => r.bare.perSecond);
      const p99 = Math.max(...rounds.map((r) => r.app.p99Ms));
      const worst = Math.max(...rounds.map((r) => r.app.worstMs));
      const worstLater = Math.max(...rounds.map((r) => r.app.worstAfterFirstSecondMs));
      console.log(
        `${path}: ${ratio.toFixed(2)}× the bare server (goal ≥ 0.7×), p99 ≤ ${p99.toFixed(1)} ms ` +
          `(goal ≤ 15), worst ${worst.toFixed(0)} ms (goal ≤ 100), ${worstLater.toFixed(0)} ms ` +
          `after each round's first second`,
      );
    }
    appRequests.logBytes += logBytes;
    console.log(
      `App RSS ${Math.round(idleRssKb / 1024)} MB idle after start, peak ` +
        `${Math.round(procStatusKb(app.pid!, 'VmHWM') / 1024)} MB under load; log output ` +
        `${(appRequests.logBytes / appRequests.count).toFixed(0)} bytes per request`,
    );
  } finally {
    app.kill();
    bare.kill();
    await removeTeamUsers(url, users);
  }
}

function describe(result: LoadResult): string {
  return `${Math.round(result.perSecond)} req/s p99 ${result.p99Ms.toFixed(1)} ms worst ${result.worstMs.toFixed(0)} ms (at ${result.worstAtS.toFixed(2)} s)${result.errors ? ` (${result.errors} errors)` : ''}`;
}

/** Resolves once `port` answers HTTP (any status). */
async function startChild(child: ChildProcess, port: number): Promise<ChildProcess> {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`server on port ${port} exited`);
    const up = await fetch(`http://127.0.0.1:${port}/health`).then(
      () => true,
      () => false,
    );
    if (up) return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error(`server on port ${port} did not start`);
}

/** A memory figure of a running process from /proc (Linux): VmRSS now, VmHWM its peak. */
function procStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
