import 'reflect-metadata';
import { ConfigError } from '@des/shared';
import { runCli } from './cli';

runCli(process.argv.slice(2)).catch((error: unknown) => {
  const message =
    error instanceof ConfigError || error instanceof Error ? error.message : String(error);
  console.error(`sales: ${message}`);
  process.exit(1);
});
