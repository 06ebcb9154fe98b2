/**
 * `npm run bench`: the banner route of the real app next to a bare node:http server, measured in
 * the same run with the same load generator (autocannon in its own process).
 * BENCH_DURATION (s, default 30), BENCH_CONNECTIONS (default 50).
 */
import { Server } from 'node:http';
import { startBareServer } from './bare-server';
import { fixed, requestVariants, runLoad, startBenchApp } from './harness';
import { LoadResult } from './load';

const duration = Number(process.env.BENCH_DURATION ?? 30);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const GOALS = { requestsPerSecond: 25_000, ratio: 0.6, p99: 10 };

async function main(): Promise<void> {
  const bench = await startBenchApp();
  const bare = await startBareServer();
  const variants = requestVariants(bench);
  console.log(
    `banner-api bench: ${bench.campaigns.length} campaigns, ${duration} s per target, ${connections} connections, autocannon in a separate process`,
  );
  try {
    // Short warm-up of each target so the JIT has settled before measuring.
    for (const url of [bare.url, bench.url])
      await runLoad({ url, connections, durationSeconds: 3, variants });
    const baseline = await runLoad({
      url: bare.url,
      connections,
      durationSeconds: duration,
      variants,
    });
    const app = await runLoad({ url: bench.url, connections, durationSeconds: duration, variants });
    report(baseline, app);
  } finally {
    await new Promise((resolve) => (bare.server as Server).close(resolve));
    await bench.app.close();
  }
}

function report(baseline: LoadResult, app: LoadResult): void {
  const row = (name: string, r: LoadResult) =>
    `${name.padEnd(28)} ${fixed(r.requestsPerSecond, 0).padStart(9)} ${fixed(r.p50).padStart(7)} ${fixed(r.p95).padStart(7)} ${fixed(r.p99).padStart(7)} ${String(r.errors + r.timeouts).padStart(7)} ${String(r.non2xx).padStart(7)}`;
  console.log(
    `\n${'target'.padEnd(28)} ${'req/s'.padStart(9)} ${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'errors'.padStart(7)} ${'non-2xx'.padStart(7)}`,
  );
  console.log(row('bare node:http (baseline)', baseline));
  console.log(row('banner-api GET /campaigns/:id', app));
  const ratio = app.requestsPerSecond / baseline.requestsPerSecond;
  console.log(
    `\nratio banner-api / baseline: ${fixed(ratio)}x throughput, ${fixed(app.p99 / Math.max(baseline.p99, 0.001))}x p99`,
  );
  const checks = [
    [`>= ${GOALS.requestsPerSecond} req/s`, app.requestsPerSecond >= GOALS.requestsPerSecond],
    [`>= ${GOALS.ratio}x the bare server`, ratio >= GOALS.ratio],
    [`p99 <= ${GOALS.p99} ms`, app.p99 <= GOALS.p99],
    ['no errors, timeouts or non-2xx', app.errors + app.timeouts + app.non2xx === 0],
  ] as const;
  for (const [goal, met] of checks) console.log(`  ${met ? 'met    ' : 'MISSED '} ${goal}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
