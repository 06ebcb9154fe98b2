import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { resolveDatabaseUrl, runCli, stopEmbeddedPostgres } from '@des/shared';
import { AppModule } from '../app.module';
import { loadConfig } from '../config';
import { isDeliveryId } from '../loads/delivery-folders.repository';
import { LoadConnectionError, LoadInProgressError, UnknownJobError } from '../loads/errors';
import { LoadRun } from '../loads/load-run';
import { LoadRunner } from '../loads/load-runner.service';
import { GenerateOptions, generateSupplierFiles } from '../supplier/generator/supplier-files';
import { supplierCount } from '../supplier/generator/supplier-rows';
import { parseGenerateArgs } from './generate-args';
import { LoginCommand, parseLoginArgs, runLoginCommand } from './logins';
import { progressLine } from './progress-line';

const USAGE = `Usage: npm run warehouse -- <command>

  load <job> [--night YYYYMMDD]      run a job on a delivery (default: the newest folder),
  run <job> [--delivery YYYYMMDD]    e.g. load supplier; prints the load record
  generate supplier --scale SF --out DIR [--format tbl|tbl.gz|parquet] [--parts N]
                    [--trailing-pipe] [--seed N] [--codec snappy|zstd|gzip|uncompressed]
                                     a TPC-H supplier night (SF x 10,000 rows) from the spec
  create-login --role load|analyst --name NAME [--password-file FILE]
                                     a LOGIN role in warehouse_load or warehouse_analyst; the
                                     password from FILE or WAREHOUSE_LOGIN_PASSWORD
  drop-login --name NAME             drops a login made by create-login
`;

/** Exit codes: 0 loaded or skipped, 1 failed (recorded), 2 usage, 3 another run in progress. */
async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === 'load' || command === 'run') return runJob(rest);
  if (command === 'generate') return generate(rest);
  if (command === 'create-login' || command === 'drop-login') {
    return login(command === 'create-login' ? 'create' : 'drop', rest);
  }
  return usage(command ? `unknown command: ${command}` : 'no command');
}

async function runJob(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { night: { type: 'string' }, delivery: { type: 'string' } },
    });
  } catch (error) {
    return usage((error as Error).message);
  }
  const [job] = parsed.positionals;
  const delivery = parsed.values.night ?? parsed.values.delivery;
  if (!job || parsed.positionals.length > 1) return usage('name one job, e.g. load supplier');
  if (delivery !== undefined && !isDeliveryId(delivery)) {
    return usage(`--night/--delivery must be a date as YYYYMMDD, got ${delivery}`);
  }
  const app = await createContext();
  const progress = progressLine((text) => process.stderr.write(text), {
    tty: Boolean(process.stderr.isTTY),
  });
  try {
    const run = await app.get(LoadRunner).run(job, {
      delivery,
      trigger: 'cli',
      onProgress: (update) => progress.update(update),
    });
    progress.done();
    report(run);
    return run.outcome === 'failed' ? 1 : 0;
  } catch (error) {
    progress.done();
    if (error instanceof UnknownJobError) return usage(error.message);
    if (error instanceof LoadInProgressError) {
      console.error(error.message);
      return 3;
    }
    if (error instanceof LoadConnectionError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    await app.close();
    await stopEmbeddedPostgres();
  }
}

async function generate(args: string[]): Promise<number> {
  let options: GenerateOptions;
  try {
    options = parseGenerateArgs(args);
  } catch (error) {
    return usage((error as Error).message);
  }
  const started = performance.now();
  const files = await generateSupplierFiles({
    ...options,
    onProgress: (rows) => process.stderr.write(`${rows.toLocaleString('en-US')} rows\n`),
  });
  for (const file of files) console.log(file);
  console.error(
    `${supplierCount(options.scale)} rows in ${files.length} file(s), ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return 0;
}

async function login(action: LoginCommand['action'], args: string[]): Promise<number> {
  let command: LoginCommand;
  try {
    command = await parseLoginArgs(action, args, process.env);
  } catch (error) {
    return usage((error as Error).message);
  }
  // The app context applies the migrations, which create the group roles.
  const app = await createContext();
  try {
    const config = loadConfig();
    console.log(await runLoginCommand(await resolveDatabaseUrl(config.DATABASE_URL), command));
    return 0;
  } finally {
    await app.close();
    await stopEmbeddedPostgres();
  }
}

function createContext() {
  const config = loadConfig({ ...process.env, DEMO_DATA: 'false' });
  return NestFactory.createApplicationContext(AppModule.register(config, { server: false }), {
    logger: ['error'],
  });
}

function report(run: LoadRun): void {
  const summary =
    run.outcome === 'loaded'
      ? `loaded ${run.rowsLoaded} rows from ${run.files.length} file(s)`
      : run.outcome === 'skipped'
        ? `skipped: same content as run #${run.sameAs}`
        : `failed, nothing loaded: ${run.error}`;
  const line = `${[run.job, run.delivery].filter(Boolean).join(' ')}: run #${run.id} ${summary}`;
  if (run.outcome === 'failed') console.error(line);
  else console.log(line);
  console.log(JSON.stringify(run, null, 2));
}

function usage(problem: string): number {
  console.error(`${problem}\n\n${USAGE}`);
  return 2;
}

runCli(() => main(process.argv.slice(2)));
