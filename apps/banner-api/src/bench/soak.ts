/**
 * `npm run soak`: the real app under a steady 2,000 requests/s for 5 minutes (autocannon in its
 * own process), sampling RSS and heap every 15 s after a forced GC, to show memory stays flat.
 * BENCH_SOAK_SECONDS (default 300), BENCH_SOAK_RATE (default 2000).
 */
import { fixed, requestVariants, runLoad, startBenchApp } from './harness';

const seconds = Number(process.env.BENCH_SOAK_SECONDS ?? 300);
const rate = Number(process.env.BENCH_SOAK_RATE ?? 2000);
const SAMPLE_MS = 15_000;
/** Heap after GC may grow this much from the first to the last sample before we call it a leak. */
const HEAP_GROWTH_LIMIT_MB = 10;

const mb = (bytes: number) => bytes / 1024 / 1024;
const gc = (globalThis as { gc?: () => void }).gc;

async function main(): Promise<void> {
  const bench = await startBenchApp();
  console.log(
    `banner-api soak: ${rate} req/s for ${seconds} s over ${bench.campaigns.length} campaigns${gc ? '' : ' (run with --expose-gc for cleaner heap samples)'}`,
  );
  const samples: Array<{ at: number; rss: number; heap: number }> = [];
  const started = Date.now();
  const sample = () => {
    gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    samples.push({ at: (Date.now() - started) / 1000, rss: mb(rss), heap: mb(heapUsed) });
    const last = samples[samples.length - 1];
    console.log(
      `  t=${fixed(last.at, 0).padStart(4)} s  rss ${fixed(last.rss, 1).padStart(6)} MB  heap ${fixed(last.heap, 1).padStart(6)} MB`,
    );
  };
  sample();
  const timer = setInterval(sample, SAMPLE_MS);
  try {
    const result = await runLoad({
      url: bench.url,
      connections: 20,
      durationSeconds: seconds,
      overallRate: rate,
      variants: requestVariants(bench),
    });
    clearInterval(timer);
    sample();
    console.log(
      `\n${result.requests} requests, ${fixed(result.requestsPerSecond, 0)} req/s, p50 ${fixed(result.p50)} ms, p95 ${fixed(result.p95)} ms, p99 ${fixed(result.p99)} ms, errors ${result.errors + result.timeouts}, non-2xx ${result.non2xx}`,
    );
    // The first sample is taken before any load (JIT, caches and pools not warm yet): compare from the second.
    const first = samples[Math.min(1, samples.length - 1)];
    const last = samples[samples.length - 1];
    const heapGrowth = last.heap - first.heap;
    console.log(
      `memory: rss ${fixed(first.rss, 1)} -> ${fixed(last.rss, 1)} MB, heap ${fixed(first.heap, 1)} -> ${fixed(last.heap, 1)} MB (max rss ${fixed(Math.max(...samples.map((s) => s.rss)), 1)} MB)`,
    );
    console.log(
      `  ${result.errors + result.timeouts + result.non2xx === 0 ? 'met    ' : 'MISSED '} no errors, timeouts or non-2xx`,
    );
    console.log(
      `  ${heapGrowth <= HEAP_GROWTH_LIMIT_MB ? 'met    ' : 'MISSED '} heap flat (grew ${fixed(heapGrowth, 1)} MB, limit ${HEAP_GROWTH_LIMIT_MB} MB)`,
    );
  } finally {
    clearInterval(timer);
    await bench.app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
