#!/usr/bin/env node
// Runs one package's compiled tests (dist/**/*.test.js) with node:test against a real PostgreSQL:
// DATABASE_URL's server when set, otherwise a throwaway embedded one. Totals go to
// .test-results.json for the root summary line.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { rmSync } from 'node:fs';

const require = createRequire(import.meta.url);
const { startTestServer } = require('@des/shared/testing');
const reporter = require.resolve('@des/shared/test-reporter');

rmSync('.test-results.json', { force: true });
const server = await startTestServer();
const args = [
  '--test',
  '--test-timeout=300000',
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  `--test-reporter=${reporter}`,
  '--test-reporter-destination=.test-results.json',
  ...(process.argv.length > 2 ? process.argv.slice(2) : ['dist/']),
];
const child = spawn(process.execPath, args, {
  stdio: 'inherit',
  env: { ...process.env, DATABASE_URL: server.url, NODE_ENV: 'test' },
});
const stopChild = (signal) => child.kill(signal);
process.on('SIGINT', stopChild).on('SIGTERM', stopChild);
const code = await new Promise((resolve) => child.on('exit', (status) => resolve(status ?? 1)));
await server.stop();
process.exit(code);
