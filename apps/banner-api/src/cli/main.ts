import 'reflect-metadata';
import { access } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { HttpException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { resolveUserPath, runCli } from '@des/shared';
import { AppModule } from '../app.module';
import { loadConfig } from '../config';
import { generateDemo } from '../demo/demo-data';
import { DemoRepository } from '../demo/demo.repository';
import { ImportReport } from '../imports/import.entity';
import { ImportsService } from '../imports/imports.service';

const USAGE = `Usage: npm run banner -- <command>

  import [--strict] <files...>
                         import CSV files named <kind>_<quarter>.csv (impressions, clicks,
                         conversions; quarter 1-4) as one upload: all of them or none.
                         --strict refuses anomalies instead of reporting them
  generate [--out DIR]   write the demo CSVs (default: BANNER_DEMO_DIR)
`;

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === 'import' && rest.length)
    return withApp((app) => importFiles(app.get(ImportsService), rest));
  if (command === 'generate') {
    let out: string | undefined;
    try {
      out = parseArgs({ args: rest, options: { out: { type: 'string' } } }).values.out;
    } catch (error) {
      return usage((error as Error).message);
    }
    // Writing files needs no database, so no app either.
    const files = await new DemoRepository().write(
      out ? resolveUserPath(out) : loadConfig().BANNER_DEMO_DIR,
      generateDemo(),
    );
    for (const file of files) console.log(file);
    return 0;
  }
  return usage(command ? `unknown command or missing files: ${command}` : 'no command');
}

/** One upload of all the files: all stored or none (as POST /imports). */
async function importFiles(imports: ImportsService, args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { strict: { type: 'boolean' } } });
  } catch (error) {
    return usage((error as Error).message);
  }
  const files = parsed.positionals.map((file) => ({ fileName: file, path: resolveUserPath(file) }));
  for (const file of files) {
    try {
      await access(file.path);
    } catch (error) {
      console.error(
        `${file.fileName}: cannot read (${(error as Error).message}); nothing imported`,
      );
      return 1;
    }
  }
  try {
    const answer = await imports.importFiles(files, {
      importedBy: `cli:${userInfo().username}`,
      strict: parsed.values.strict ?? false,
    });
    for (const result of answer.imports) {
      console.log(
        `${result.fileName}: import #${result.id} (${result.kind}, dataset ${result.quarter}): ${result.rowsInserted} rows stored, ${result.rowsSkipped} skipped as already present${describeReport(result.report)}`,
      );
    }
    for (const dataset of answer.datasets) {
      console.log(
        dataset.status === 'published'
          ? `dataset ${dataset.quarter}: #${dataset.id} published`
          : `dataset ${dataset.quarter}: #${dataset.id} is a draft (missing ${dataset.missing.join(', ')}); the previous set keeps serving`,
      );
    }
    return 0;
  } catch (error) {
    if (!(error instanceof HttpException)) throw error;
    const body = error.getResponse() as {
      message?: string;
      errors?: Array<{ file?: string; line: number; field?: string; problem: string }>;
    };
    console.error(
      `${error.getStatus() === 409 ? 'duplicate or conflict' : 'rejected'}: ${body.message}`,
    );
    for (const problem of body.errors ?? []) {
      console.error(
        `  ${problem.file ?? ''}:${problem.line}${problem.field ? ` ${problem.field}` : ''}: ${problem.problem}`,
      );
    }
    return 1;
  }
}

function describeReport(report: ImportReport): string {
  const notes: string[] = [];
  if (report.clicksWithoutImpressions)
    notes.push(
      `${report.clicksWithoutImpressions.count} clicks of campaigns without impressions (lines ${report.clicksWithoutImpressions.sampleLines.join(', ')}…)`,
    );
  if (report.conversionsWithoutClick)
    notes.push(
      `${report.conversionsWithoutClick.count} conversions of unknown clicks (lines ${report.conversionsWithoutClick.sampleLines.join(', ')}…)`,
    );
  if (report.lastLineWithoutLineEnding !== undefined)
    notes.push(
      `last line ${report.lastLineWithoutLineEnding} had no line ending, accepted as a complete row`,
    );
  return notes.length ? `; ${notes.join('; ')}` : '';
}

async function withApp(
  run: (app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>>) => Promise<number>,
): Promise<number> {
  const config = loadConfig({ ...process.env, DEMO_DATA: 'false' });
  // The CLI serves nothing and authenticates no one: it needs no token or cookie secret.
  const secrets = { importTokens: new Map(), cookieSecret: 'unused', generated: [], file: '' };
  const app = await NestFactory.createApplicationContext(AppModule.register(config, { secrets }), {
    logger: ['error'],
  });
  try {
    return await run(app);
  } finally {
    await app.close();
  }
}

function usage(problem: string): number {
  console.error(`${problem}\n\n${USAGE}`);
  return 2;
}

runCli(() => main(process.argv.slice(2)));
