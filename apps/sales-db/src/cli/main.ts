import { isMainThread, Worker } from 'node:worker_threads';

/**
 * The bulk commands' heap limits, set in code so that `import-transactions` (and `generate`,
 * which loads through it) stays under 200 MB at any file size: with node's defaults V8 let the
 * heap grow to about four times what was live between full collections (210–235 MB at 1M
 * transactions, where the live data is a 2,000-transaction batch or two; 126 MB with these).
 * Worker threads are where node takes heap limits from code rather than from its command line,
 * so every command runs on one and this thread only waits. The other commands keep node's
 * defaults: `import-members` keeps its problem lists in memory.
 */
const BULK_HEAP_LIMITS = { maxYoungGenerationSizeMb: 12, maxOldGenerationSizeMb: 96 };
const BULK_COMMANDS = new Set(['import-transactions', 'generate']);

const fail = (message: string) => {
  console.error(`sales: ${message}`);
  process.exit(1);
};

if (isMainThread) {
  const argv = process.argv.slice(2);
  const resourceLimits = BULK_COMMANDS.has(argv[0]) ? BULK_HEAP_LIMITS : undefined;
  new Worker(__filename, { argv, resourceLimits })
    .on('error', (error) => fail(error.message))
    .on('exit', (code) => {
      process.exitCode = code;
    });
} else {
  // Loaded on the command's thread only: the main thread stays a bare node.
  import('reflect-metadata')
    .then(() => import('./cli.js'))
    .then(({ runCli }) => runCli(process.argv.slice(2)))
    .catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
}
