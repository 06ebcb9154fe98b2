#!/usr/bin/env node
// `npm test`: every package's tests through turbo against one PostgreSQL (DATABASE_URL, or an
// embedded server started here), then one plain line `N passed, N failed` over all suites.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { startTestServer } = require('@des/shared/testing');
const repo = join(import.meta.dirname, '..');
const { workspaces } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const packages = workspaces.flatMap((pattern) =>
  pattern.endsWith('/*')
    ? readdirSync(join(repo, pattern.slice(0, -2))).map((name) => join(pattern.slice(0, -2), name))
    : [pattern],
);
const testedPackages = packages.filter((dir) => {
  const manifest = JSON.parse(readFileSync(join(repo, dir, 'package.json'), 'utf8'));
  return Boolean(manifest.scripts?.test);
});
for (const dir of testedPackages) rmSync(join(repo, dir, '.test-results.json'), { force: true });

const server = await startTestServer();
const turbo = spawn(
  'npx',
  ['turbo', 'run', 'test', '--concurrency=2', '--continue', ...process.argv.slice(2)],
  { cwd: repo, stdio: 'inherit', env: { ...process.env, DATABASE_URL: server.url } },
);
const stop = (signal) => turbo.kill(signal);
process.on('SIGINT', stop).on('SIGTERM', stop);
const turboCode = await new Promise((resolve) => turbo.on('exit', (code) => resolve(code ?? 1)));
await server.stop();

const totals = { passed: 0, failed: 0, skipped: 0 };
const missing = [];
console.log('\nTest totals by package:');
for (const dir of testedPackages) {
  const file = join(repo, dir, '.test-results.json');
  if (!existsSync(file)) {
    missing.push(dir);
    continue;
  }
  const counts = JSON.parse(readFileSync(file, 'utf8'));
  console.log(
    `  ${dir}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`,
  );
  for (const key of Object.keys(totals)) totals[key] += counts[key];
}
// A package whose runner crashed before reporting counts as one failure, never as silence.
for (const dir of missing) console.log(`  ${dir}: no results (runner crashed or was filtered out)`);
const filtered = process.argv.slice(2).some((arg) => arg.startsWith('--filter'));
if (!filtered) totals.failed += missing.length;
writeFileSync(join(repo, '.test-summary.json'), JSON.stringify(totals));
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(turboCode !== 0 || totals.failed > 0 ? 1 : 0);
