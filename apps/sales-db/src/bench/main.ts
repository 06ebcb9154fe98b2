import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { appDataSourceOptions, runMigrationsLocked } from '@des/shared';
import { createTestDatabase, startTestServer } from '@des/shared/testing';
import { DataSource } from 'typeorm';
import { entities } from '../database/entities';
import { migrations } from '../database/migrations';
import { SalesDatabase } from '../database/sales-database';
import { GeneratorRepository } from '../generator/generator.repository';
import { GeneratorService } from '../generator/generator.service';
import { ReportsRepository } from '../reports/reports.repository';

/**
 * `npm run bench`: loads BENCH_TRANSACTIONS (default 1,000,000, about 3M lines) with COPY into a
 * throwaway database, then times both reports against a baseline measured in the same run: one
 * full sequential scan of the lines.
 */
async function main(): Promise<void> {
  Logger.overrideLogger(['error', 'warn']);
  const transactions = Number(process.env.BENCH_TRANSACTIONS ?? 1_000_000);
  const runs = Number(process.env.BENCH_RUNS ?? 200);
  const server = await startTestServer();
  process.env.DATABASE_URL = server.url;
  const database = await createTestDatabase('sales_bench');
  const dataSource = await new DataSource(
    appDataSourceOptions({ app: 'sales-db', url: database.url, entities, migrations, poolSize: 2 }),
  ).initialize();
  try {
    await runMigrationsLocked(dataSource, 'sales-db');
    const sales = new SalesDatabase(dataSource);
    const repository = new GeneratorRepository();
    await sales.asAdmin((sql) => repository.insertSyntheticMembers(sql, 10_000));
    const generator = new GeneratorService(sales, repository);
    const loadStarted = process.hrtime.bigint();
    const loadCpu = process.cpuUsage();
    const load = await generator.generate({
      transactions,
      onProgress: (done, lines) => {
        const rate = Math.round((lines / Number(process.hrtime.bigint() - loadStarted)) * 1e9);
        console.log(
          `  loaded ${done}/${transactions} transactions, ${lines} lines (${rate} lines/s so far)`,
        );
      },
    });
    const nodeCpu = process.cpuUsage(loadCpu);
    await dataSource.query(
      'VACUUM ANALYZE sales.transaction_lines, sales.transactions, sales.member_spending, sales.item_popularity',
    );

    const reports = new ReportsRepository();
    const time = async (work: () => Promise<unknown>, times: number) => {
      const samples: number[] = [];
      for (let i = 0; i < times; i += 1) {
        const started = process.hrtime.bigint();
        await work();
        samples.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      samples.sort((a, b) => a - b);
      const at = (p: number) =>
        samples[Math.min(samples.length - 1, Math.floor(p * samples.length))];
      return { p50: at(0.5), p95: at(0.95) };
    };
    const scan = await time(
      () => dataSource.query('SELECT count(*), sum(quantity) FROM sales.transaction_lines'),
      5,
    );
    const results = {
      'top members (10)': await time(
        () => sales.asAdmin((sql) => reports.topMembers(sql, 10)),
        runs,
      ),
      'top items by quantity (3)': await time(
        () => sales.asAdmin((sql) => reports.topItems(sql, 3, 'quantity')),
        runs,
      ),
      'top items by transactions (3)': await time(
        () => sales.asAdmin((sql) => reports.topItems(sql, 3, 'transactions')),
        runs,
      ),
    };
    console.log(
      `Load: ${load.transactions} transactions, ${load.lines} lines with COPY in ${load.seconds.toFixed(1)} s = ${load.linesPerSecond} lines/s (goal ≥ 100,000)`,
    );
    console.log(
      `  (this Node process, generating the rows and streaming them: ${((nodeCpu.user + nodeCpu.system) / 1e6).toFixed(1)} s CPU)`,
    );
    console.log(
      `Baseline: full sequential scan of ${load.lines} lines: p50 ${scan.p50.toFixed(1)} ms`,
    );
    for (const [name, figures] of Object.entries(results)) {
      console.log(
        `${name}: p50 ${figures.p50.toFixed(2)} ms, p95 ${figures.p95.toFixed(2)} ms (goal p95 ≤ 20 ms) = ` +
          `${(figures.p95 / scan.p50).toFixed(4)}× the scan`,
      );
    }
  } finally {
    await dataSource.destroy();
    await database.drop();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
