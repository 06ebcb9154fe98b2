import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import type { PipelinePaths } from '../config';
import type { RunView } from '../runs/dto/run.view';
import { runInThread } from './run-thread';

const USAGE = `Usage:
  npm run pipeline -- run                                   process the incoming folder now
  npm run pipeline -- generate --rows N --files K [--dir D] [--seed S]
                                                            write K messy batches of N rows each
                                                            (default D: the incoming folder)`;

class UsageError extends Error {}

/** Without a terminal, one progress line this often. */
const PROGRESS_LINE_MS = 5000;

const isUsageError = (error: unknown) =>
  error instanceof UsageError ||
  Boolean((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'));

function positiveInt(name: string, value: string | undefined, fallback?: number): number {
  if (value === undefined) {
    if (fallback !== undefined) return fallback;
    throw new UsageError(`--${name} is required`);
  }
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new UsageError(`--${name} must be a whole number of at least 1 (got "${value}")`);
  }
  return Number(value);
}

async function generate(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      rows: { type: 'string' },
      files: { type: 'string' },
      dir: { type: 'string' },
      seed: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const rows = positiveInt('rows', values.rows);
  const files = positiveInt('files', values.files, 1);
  const seed = values.seed === undefined ? undefined : positiveInt('seed', values.seed);
  // Loaded here: `run` keeps this thread free of the app's modules (see runInThread).
  const { resolveUserPath } = await import('@des/shared');
  const { loadConfig, pipelinePaths } = await import('../config.js');
  const { generateBatches } = await import('../generator/batch-generator.js');
  const dir = values.dir ? resolveUserPath(values.dir) : pipelinePaths(loadConfig()).incoming;
  const started = Date.now();
  const written = await generateBatches({ dir, rows, files, seed });
  for (const path of written) console.log(path);
  console.log(`${files} file(s) x ${rows} rows in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function run(args: string[]): Promise<number> {
  parseArgs({ args, options: {}, strict: true, allowPositionals: false });
  const bar = new SingleBar({
    format: '{bar} {percentage}% | {rows} rows | {speed} rows/s | {file}',
    hideCursor: true,
  });
  const started = Date.now();
  let barStarted = false;
  let lastLine = started;
  try {
    const { view, folders } = await runInThread((progress) => {
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      const payload = {
        rows: progress.rows,
        speed: Math.round(progress.rows / seconds),
        file: progress.file,
      };
      if (!process.stdout.isTTY) {
        // Logs and CI: a plain line every few seconds instead of a bar.
        if (Date.now() - lastLine < PROGRESS_LINE_MS) return;
        lastLine = Date.now();
        const share = Math.floor((100 * progress.bytes) / Math.max(progress.totalBytes, 1));
        console.log(
          `progress: ${share}% | ${progress.rows} rows | ${payload.speed} rows/s | ${progress.file}`,
        );
        return;
      }
      if (!barStarted) {
        bar.start(Math.max(progress.totalBytes, 1), 0, payload);
        barStarted = true;
      }
      bar.update(progress.bytes, payload);
    });
    if (barStarted) bar.stop();
    printSummary(view, (Date.now() - started) / 1000, folders);
    return view.status === 'completed' ? 0 : 1;
  } finally {
    if (barStarted) bar.stop();
  }
}

function printSummary(view: RunView, seconds: number, folders: PipelinePaths): void {
  const rate = seconds > 0 ? Math.round(view.rowsRead / seconds) : 0;
  console.log(`Run ${view.id}: ${view.status} in ${seconds.toFixed(1)} s (${rate} rows/s)`);
  if (view.error) console.log(`  error: ${view.error}`);
  console.log(
    `  files: ${view.filesProcessed} processed, ${view.filesRejected} rejected, ${view.filesSkipped} skipped`,
  );
  console.log(
    `  rows: ${view.rowsRead} read, ${view.successful} successful, ${view.failed} failed, ` +
      `${view.duplicates} duplicates, ${view.alreadyEmitted} already emitted by earlier runs, ` +
      `${view.ambiguousDates} ambiguous dates`,
  );
  const reasons = Object.entries(view.failureReasons ?? {});
  if (reasons.length) {
    console.log(
      `  failed rows by reason: ${reasons.map(([reason, n]) => `${reason} ${n}`).join(', ')}`,
    );
  }
  console.log(`  membership id collisions: ${view.membershipCollisions}`);
  for (const sample of view.summary?.membershipCollisionSamples.slice(0, 5) ?? []) {
    console.log(
      `    ${sample.membershipId}: ${sample.first.file}:${sample.first.line} and ${sample.second.file}:${sample.second.line}`,
    );
  }
  console.log(
    `  membership ids issued to someone else by earlier runs: ${view.crossRunCollisions}`,
  );
  for (const sample of view.summary?.crossRunCollisionSamples?.slice(0, 5) ?? []) {
    console.log(
      `    ${sample.membershipId}: ${sample.row.file}:${sample.row.line}, issued by run ${sample.earlierRunId}`,
    );
  }
  for (const file of view.files) {
    const counts =
      file.outcome === 'processed'
        ? `${file.read} read, ${file.successful} ok, ${file.failed} failed, ${file.duplicates} dup, ${file.alreadyEmitted} already emitted, ${file.ambiguousDates} ambiguous`
        : (file.reason ?? '');
    console.log(`  ${file.fileName}: ${file.outcome} (${counts})`);
    for (const [separator, decision] of Object.entries(file.dateOrders ?? {})) {
      const evidence = decision.monthFirstEvidence + decision.dayFirstEvidence;
      if (evidence + decision.ambiguous === 0) continue;
      console.log(
        `    "${separator}" dates: ${decision.order ?? 'no order'} by ${decision.basis} ` +
          `(${decision.monthFirstEvidence} month-first, ${decision.dayFirstEvidence} day-first); ` +
          `${decision.ambiguous} ambiguous, ${decision.contradicting} contradicting (failed)`,
      );
    }
  }
  for (const entry of view.summary?.notTaken ?? []) {
    console.log(`  ${entry.name}: not taken (${entry.reason})`);
  }
  // The view's paths are relative to the data folder; here, on the machine, the full path helps.
  if (view.successfulOutput) {
    console.log(`  successful: ${join(folders.successful, basename(view.successfulOutput))}`);
  }
  if (view.failedOutput) {
    console.log(`  failed: ${join(folders.failed, basename(view.failedOutput))}`);
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'run') return run(rest);
  if (command === 'generate') {
    await generate(rest);
    return 0;
  }
  throw new UsageError(command ? `unknown command "${command}"` : 'a command is required');
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // By name: the run's thread sends its errors back by name, message and stack.
    if ((error as Error).name === 'ConfigError') {
      console.error(`pipeline: ${(error as Error).message}`);
    } else if (isUsageError(error)) {
      console.error(`pipeline: ${(error as Error).message}\n${USAGE}`);
    } else {
      console.error(
        `pipeline: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
    process.exit(isUsageError(error) ? 2 : 1);
  },
);
