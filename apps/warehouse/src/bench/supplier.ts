import { spawnSync } from 'node:child_process';
import { link, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { createTestDatabase, startTestServer } from '@des/shared/testing';
import { Client } from 'pg';
import { AppModule } from '../app.module';
import { loadConfig } from '../config';
import { LoadRunner } from '../loads/load-runner.service';
import { supplierCount } from '../supplier/generator/supplier-rows';
import { copyStatement } from '../supplier/supplier-columns';

/**
 * `npm run bench -w apps/warehouse`: loads a generated supplier night (scale WAREHOUSE_BENCH_SCALE,
 * default 10 = 100,000 rows; 100 = 1M) with the service, next to the baseline measured in the same
 * run: psql's `\copy` of the same .tbl into an equivalent plain table. Rounds alternate.
 */
const scale = Number(process.env.WAREHOUSE_BENCH_SCALE ?? 10);
const rounds = Number(process.env.WAREHOUSE_BENCH_ROUNDS ?? 3);
const psql = process.env.PSQL ?? 'psql';
const MB = 1e6;

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export async function benchSupplier(): Promise<void> {
  const rows = supplierCount(scale);
  const server = await startTestServer();
  process.env.DATABASE_URL = server.url;
  const database = await createTestDatabase('warehouse_bench');
  const root = await mkdtemp(join(tmpdir(), 'warehouse-bench-'));
  const nights = Array.from(
    { length: rounds },
    (_, i) => `202601${String(i + 1).padStart(2, '0')}`,
  );
  try {
    // Generated in a child process, so the generator's memory is not counted in our peak RSS.
    const first = join(root, 'supplier', nights[0]);
    const generated = spawnSync(
      process.execPath,
      [
        join(__dirname, '..', 'cli', 'main.js'),
        'generate',
        'supplier',
        '--scale',
        String(scale),
        '--out',
        first,
        '--trailing-pipe',
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    if (generated.status !== 0) throw new Error('generating the night failed');
    const file = join(first, 'supplier.tbl');
    const fileBytes = (await stat(file)).size;
    // The same bytes every night (hard links): each night is a new snapshot, not a skip.
    for (const night of nights.slice(1)) {
      await mkdir(join(root, 'supplier', night), { recursive: true });
      await link(file, join(root, 'supplier', night, 'supplier.tbl'));
    }

    const config = loadConfig({
      ...process.env,
      DATABASE_URL: database.url,
      WAREHOUSE_SOURCE_DIR: root,
      WAREHOUSE_SUPPLIER_CRON: 'off',
      DEMO_DATA: 'false',
      LOG_LEVEL: 'error',
    });
    const app = await NestFactory.createApplicationContext(
      AppModule.register(config, { server: false }),
      { logger: ['error'] },
    );
    const admin = new Client({ connectionString: database.url });
    await admin.connect();
    // The baseline's table: the stage's columns, a plain (logged) table, no index.
    await admin.query(`CREATE TABLE public.supplier_plain (s_suppkey integer, s_name text,
      s_address text, s_nationkey smallint, s_phone text, s_acctbal numeric, s_comment text,
      s_trailing text)`);
    const baselineCopy = copyStatement(true, { freeze: false })
      .replace('COPY warehouse.supplier_stage', '\\copy public.supplier_plain')
      .replace('FROM STDIN', `FROM '${file}'`)
      .replace(/\s+/g, ' ');

    const baseline: number[] = [];
    const copyPhase: number[] = [];
    const whole: number[] = [];
    for (const [round, night] of nights.entries()) {
      await admin.query('TRUNCATE public.supplier_plain');
      await admin.query('CHECKPOINT');
      let started = performance.now();
      const result = spawnSync(psql, ['-X', '-q', '-d', database.url, '-c', baselineCopy], {
        encoding: 'utf8',
      });
      if (result.status !== 0) throw new Error(`psql \\copy failed: ${result.stderr}`);
      baseline.push((performance.now() - started) / 1000);

      await admin.query('CHECKPOINT');
      started = performance.now();
      const run = await app.get(LoadRunner).run('supplier', { delivery: night, trigger: 'cli' });
      whole.push((performance.now() - started) / 1000);
      if (run.outcome !== 'loaded') throw new Error(`load failed: ${run.error}`);
      copyPhase.push((run.phaseMs?.copy ?? NaN) / 1000);
      console.error(
        `round ${round + 1}: baseline ${fmt(baseline.at(-1)!, 2)} s, service copy ${fmt(copyPhase.at(-1)!, 2)} s, whole ${fmt(whole.at(-1)!, 2)} s (${JSON.stringify(run.phaseMs)})`,
      );
    }

    const { rows: sizes } = await admin.query<Record<string, string>>(`
      SELECT sum(pg_relation_size(relid)) AS heap,
             sum(pg_indexes_size(relid)) AS indexes,
             sum(pg_total_relation_size(relid)) AS total,
             (SELECT count(*) FROM warehouse.supplier_data) AS stored,
             pg_total_relation_size('public.supplier_plain') AS plain
      FROM pg_partition_tree('warehouse.supplier_data') WHERE isleaf`);
    const queries = await timeAnalystQueries(admin, rows);
    await admin.end();
    await app.close();

    const peakRssMb = (process.resourceUsage().maxRSS * 1024) / MB;
    const size = sizes[0];
    const stored = Number(size.stored);
    const perMillion = (bytes: string | number, count: number) =>
      ((Number(bytes) / count) * 1e6) / MB;
    const rate = (seconds: number) => rows / seconds;
    const base = median(baseline);
    const copy = median(copyPhase);
    const all = median(whole);
    console.log(`
warehouse bench: supplier scale ${scale} (${fmt(rows)} rows, ${fmt(fileBytes / MB, 1)} MB .tbl), ${rounds} rounds alternating, medians
machine load average ${loadavg()
      .map((value) => value.toFixed(1))
      .join(' ')} (figures are noisy on a busy machine)

                                   seconds    rows/s     vs baseline
  baseline: psql \\copy, plain table  ${fmt(base, 2).padStart(7)}  ${fmt(rate(base)).padStart(9)}
  service: COPY phase (stage)      ${fmt(copy, 2).padStart(7)}  ${fmt(rate(copy)).padStart(9)}     ${fmt(rate(copy) / rate(base), 2)}x  (goal >= 0.9x)
  service: whole load, one txn     ${fmt(all, 2).padStart(7)}  ${fmt(rate(all)).padStart(9)}     ${fmt(rate(all) / rate(base), 2)}x  (goal >= 0.5x)
  peak RSS of the loading process: ${fmt(peakRssMb)} MB (goal < 200 MB)

storage per million rows (supplier_data holds ${fmt(stored)} rows after ${rounds} nights):
  raw .tbl file                    ${fmt(perMillion(fileBytes, rows), 1)} MB
  supplier_data heap (partitions)  ${fmt(perMillion(size.heap, stored), 1)} MB
  supplier_data primary keys       ${fmt(perMillion(size.indexes, stored), 1)} MB
  supplier_data total              ${fmt(perMillion(size.total, stored), 1)} MB (${fmt(Number(size.total) / stored / (fileBytes / rows), 2)}x the raw file)
  baseline plain table (no index)  ${fmt(perMillion(size.plain, rows), 1)} MB

analysts' queries on the ${rounds} nights (median of 3, ms):
${queries.map(([name, ms]) => `  ${name.padEnd(44)} ${fmt(ms, 1).padStart(9)}`).join('\n')}`);
  } finally {
    await database.drop();
    await server.stop();
    await rm(root, { recursive: true, force: true });
  }
}

/** The analysts' queries the history is laid out for, timed after the loads (median of 3). */
async function timeAnalystQueries(client: Client, rows: number): Promise<Array<[string, number]>> {
  await client.query('ANALYZE warehouse.supplier_data');
  const queries: Array<[string, string]> = [
    [
      "a night's snapshot (the newest load)",
      `SELECT count(*), sum(s_acctbal) FROM warehouse.supplier_data
       WHERE load_id = (SELECT max(id) FROM warehouse.load_runs WHERE outcome = 'loaded')`,
    ],
    [
      "one supplier's latest row",
      `SELECT * FROM warehouse.supplier_latest WHERE s_suppkey = ${Math.ceil(rows / 2)}`,
    ],
    [
      'latest snapshot of every supplier',
      'SELECT count(*), sum(s_acctbal) FROM warehouse.supplier_latest',
    ],
  ];
  const timed: Array<[string, number]> = [];
  for (const [name, sql] of queries) {
    const runs: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const started = performance.now();
      await client.query(sql);
      runs.push(performance.now() - started);
    }
    timed.push([name, median(runs)]);
  }
  return timed;
}
