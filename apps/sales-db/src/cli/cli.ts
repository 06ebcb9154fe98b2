import { Logger } from '@nestjs/common';
import { parseArgs } from 'node:util';
import {
  appDataSourceOptions,
  resolveDatabaseUrl,
  resolveUserPath,
  runMigrationsLocked,
  stopEmbeddedPostgres,
} from '@des/shared';
import { DataSource } from 'typeorm';
import { UsersRepository } from '../auth/users.repository';
import { UsersService } from '../auth/users.service';
import { loadConfig } from '../config';
import { entities } from '../database/entities';
import { migrations } from '../database/migrations';
import { SalesDatabase } from '../database/sales-database';
import { GeneratorRepository } from '../generator/generator.repository';
import { GeneratorService } from '../generator/generator.service';
import { MembersImportService } from '../members/members-import.service';
import { MembersRepository } from '../members/members.repository';
import { RANKINGS, Ranking } from '../reports/dto/report.dto';
import { ReportsRepository } from '../reports/reports.repository';
import { TransactionsImportService } from '../transactions-import/transactions-import.service';

const USAGE = `Usage: npm run sales -- <command>
  add-user --team <logistics|analytics|sales|checkout> --name <user>   new LOGIN role; prints its password once
  remove-user --name <user>                                            revokes and drops that role
  import-members <file|dir>                                            pipeline successful output CSVs (idempotent)
  import-transactions <file|dir>                                       transaction CSVs (idempotent by external_ref)
  generate --transactions <N> [--seed <n>] [--out <file>]              item catalogue + N transactions (COPY), or that CSV
  report top-members [--limit 10] | top-items [--limit 3] [--by quantity|transactions]`;

/** Runs one CLI command against DATABASE_URL (or the embedded server), migrating first. */
export async function runCli(
  argv: string[],
  out: (line: string) => void = console.log,
): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') return out(USAGE);
  Logger.overrideLogger(['error', 'warn']);
  const config = loadConfig();
  const dataSource = await new DataSource(
    appDataSourceOptions({
      app: 'sales-db',
      url: await resolveDatabaseUrl(config.DATABASE_URL),
      entities,
      migrations,
      poolSize: 4,
    }),
  ).initialize();
  try {
    await runMigrationsLocked(dataSource, 'sales-db');
    const database = new SalesDatabase(dataSource);
    await dispatch(command, rest, database, out);
  } finally {
    await dataSource.destroy();
    await stopEmbeddedPostgres();
  }
}

async function dispatch(
  command: string,
  args: string[],
  database: SalesDatabase,
  out: (line: string) => void,
) {
  switch (command) {
    case 'add-user': {
      const { values } = parseArgs({
        args,
        options: { team: { type: 'string' }, name: { type: 'string' } },
      });
      const created = await withUsers(database, (users) =>
        users.add(values.team ?? '', values.name ?? ''),
      );
      out(`Created user ${created.name} in team ${created.team}.`);
      out(`Password (shown once, store it now): ${created.password}`);
      return;
    }
    case 'remove-user': {
      const { values } = parseArgs({ args, options: { name: { type: 'string' } } });
      const removed = await withUsers(database, (users) => users.remove(values.name ?? ''));
      out(
        removed.dropped
          ? `Removed user ${removed.name} (team ${removed.team}); its role is dropped.`
          : `Removed user ${removed.name} (team ${removed.team}); its role still owns objects elsewhere, so it is kept with NOLOGIN.`,
      );
      return;
    }
    case 'import-members': {
      const { positionals } = parseArgs({ args, allowPositionals: true });
      if (positionals.length !== 1) throw new Error('import-members: give one file or folder');
      const result = await new MembersImportService(database, new MembersRepository()).import(
        resolveUserPath(positionals[0]),
      );
      out(
        `Files: ${result.files.length} (${result.rejectedFiles.length} rejected); rows read: ${result.rowsRead}`,
      );
      out(
        `Inserted: ${result.inserted}; already present: ${result.unchanged}; invalid rows: ${result.invalid.length}`,
      );
      for (const file of result.rejectedFiles) out(`  rejected ${file.reason}`);
      for (const problem of result.invalid.slice(0, 50)) {
        out(`  invalid ${problem.file}:${problem.line}: ${problem.field} ${problem.problem}`);
      }
      for (const row of result.differing.slice(0, 50)) {
        out(
          `  not applied ${row.file}:${row.line}: member ${row.memberId} has the same membership id and email but other details`,
        );
      }
      out(`Membership ids shared by different people: ${result.sharedMembershipIds.length}`);
      for (const shared of result.sharedMembershipIds.slice(0, 50)) {
        out(
          `  ${shared.membershipId}: members ${shared.memberIds.join(', ')} (kept apart, never merged)`,
        );
      }
      return;
    }
    case 'import-transactions': {
      const { positionals } = parseArgs({ args, allowPositionals: true });
      if (positionals.length !== 1) throw new Error('import-transactions: give one file or folder');
      const results = await new TransactionsImportService(database).import(
        resolveUserPath(positionals[0]),
      );
      for (const result of results) {
        out(
          `${result.file}: ${result.rows} rows; ${result.transactions} transactions with ${result.lines} lines imported; ${result.alreadyPresent} transactions were already there`,
        );
      }
      return;
    }
    case 'generate': {
      const { values } = parseArgs({
        args,
        options: {
          transactions: { type: 'string' },
          seed: { type: 'string' },
          out: { type: 'string' },
        },
      });
      const transactions = positiveInt('--transactions', values.transactions);
      const generator = new GeneratorService(
        database,
        new GeneratorRepository(),
        new TransactionsImportService(database),
      );
      const seed = values.seed === undefined ? undefined : positiveInt('--seed', values.seed);
      if (values.out !== undefined) {
        const file = resolveUserPath(values.out);
        const written = await generator.writeFile({ transactions, out: file, seed });
        out(`Wrote ${transactions} transactions as ${written.rows} line rows to ${file}.`);
        return;
      }
      const result = await generator.generate({ transactions, seed });
      out(
        `Generated ${result.transactions} transactions with ${result.lines} lines in ${result.seconds.toFixed(1)} s ` +
          `(${result.linesPerSecond} lines/s, through import-transactions); ${result.alreadyPresent} were already there ` +
          `(same seed); ${result.itemsCreated} catalogue items created.`,
      );
      return;
    }
    case 'report': {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: { limit: { type: 'string' }, by: { type: 'string' } },
      });
      const reports = new ReportsRepository();
      if (positionals[0] === 'top-members') {
        const limit = positiveInt('--limit', values.limit ?? '10');
        console.table(await database.asAdmin((sql) => reports.topMembers(sql, limit)));
      } else if (positionals[0] === 'top-items') {
        const by = (values.by ?? 'quantity') as Ranking;
        if (!RANKINGS.includes(by)) throw new Error(`--by: must be one of ${RANKINGS.join(', ')}`);
        const limit = positiveInt('--limit', values.limit ?? '3');
        console.table(await database.asAdmin((sql) => reports.topItems(sql, limit, by)));
      } else {
        throw new Error('report: name top-members or top-items');
      }
      return;
    }
    default:
      throw new Error(`unknown command ${JSON.stringify(command)}\n${USAGE}`);
  }
}

async function withUsers<T>(
  database: SalesDatabase,
  work: (users: UsersService) => Promise<T>,
): Promise<T> {
  const client = await database.adminPool.connect();
  try {
    return await work(new UsersService(new UsersRepository(client)));
  } finally {
    client.release();
  }
}

function positiveInt(flag: string, value: string | undefined): number {
  const number = Number(value);
  if (!value || !Number.isInteger(number) || number < 1) {
    throw new Error(`${flag}: must be a whole number ≥ 1 (got ${JSON.stringify(value ?? null)})`);
  }
  return number;
}
