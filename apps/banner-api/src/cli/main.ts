import 'reflect-metadata';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { HttpException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, resolveUserPath } from '@des/shared';
import { AppModule } from '../app.module';
import { loadConfig } from '../config';
import { generateDemo } from '../demo/demo-data';
import { DemoRepository } from '../demo/demo.repository';
import { ImportsService } from '../imports/imports.service';

const USAGE = `Usage: npm run banner -- <command>

  import <files...>      import CSV files named <kind>_<quarter>.csv (impressions, clicks,
                         conversions; quarter 1-4), in the order given
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

async function importFiles(imports: ImportsService, files: string[]): Promise<number> {
  let failed = 0;
  for (const file of files) {
    let content: Buffer;
    try {
      content = await readFile(resolveUserPath(file));
    } catch (error) {
      console.error(`${file}: cannot read (${(error as Error).message})`);
      failed += 1;
      continue;
    }
    try {
      const result = await imports.importFile({ fileName: file, content });
      console.log(
        `${file}: import #${result.id} (${result.kind}, dataset ${result.quarter}): ${result.rowsInserted} rows stored, ${result.rowsSkipped} skipped as already present` +
          (result.unmatchedConversions
            ? `, ${result.unmatchedConversions} conversions waiting for their click`
            : ''),
      );
    } catch (error) {
      if (!(error instanceof HttpException)) throw error;
      failed += 1;
      const body = error.getResponse() as {
        message?: string;
        errors?: Array<{ line: number; field?: string; problem: string }>;
      };
      console.error(
        `${file}: ${error.getStatus() === 409 ? 'duplicate' : 'rejected'}: ${body.message}`,
      );
      for (const problem of body.errors ?? []) {
        console.error(
          `  ${file}:${problem.line}${problem.field ? ` ${problem.field}` : ''}: ${problem.problem}`,
        );
      }
    }
  }
  return failed ? 1 : 0;
}

async function withApp(
  run: (app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>>) => Promise<number>,
): Promise<number> {
  const config = loadConfig({ ...process.env, DEMO_DATA: 'false' });
  const app = await NestFactory.createApplicationContext(AppModule.register(config), {
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(
      error instanceof ConfigError
        ? error.message
        : error instanceof Error
          ? (error.stack ?? error.message)
          : String(error),
    );
    process.exit(1);
  },
);
