import { ConfigError } from './config/env';

/**
 * Runs an app's start-up and turns failures into one readable message and a non-zero exit:
 * a bad environment lists every offending variable; anything else prints its cause.
 */
export function runMain(appName: string, start: () => Promise<unknown>): void {
  start().catch((error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`${appName}: ${error.message}\n`);
    } else {
      process.stderr.write(
        `${appName}: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
    process.exit(1);
  });
}

/**
 * Runs a command line and exits with its code; a bad environment prints the variables' message,
 * anything else its cause, and exits 1.
 */
export function runCli(main: () => Promise<number>): void {
  main().then(
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
}
