/**
 * `npm run bench`: the banner route of the real app next to a bare node:http server, measured in
 * the same run with the same load generator (autocannon in its own process); then the same load
 * while a large CSV import runs (p99 before and during, the import thread's heap peak and the
 * process's RSS); then the production entry point with 1 and with N worker processes.
 * BENCH_DURATION (s, default 30), BENCH_CONNECTIONS (default 50), BENCH_IMPORT_MB (default 100),
 * BENCH_WORKERS (default: the number of cores).
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Server } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImportRunner } from '../imports/import-runner';
import { startBareServer } from './bare-server';
import { BenchApp, benchPort, fixed, requestVariants, runLoad, startBenchApp } from './harness';
import { LoadResult, RequestVariant } from './load';

const duration = Number(process.env.BENCH_DURATION ?? 30);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const importMb = Number(process.env.BENCH_IMPORT_MB ?? 100);
const workers = Number(process.env.BENCH_WORKERS ?? cpus().length);
const GOALS = { requestsPerSecond: 25_000, ratio: 0.8, p99: 10 };
const mb = (bytes: number) => bytes / 1024 / 1024;

async function main(): Promise<void> {
  const bench = await startBenchApp();
  const bare = await startBareServer();
  const variants = requestVariants(bench);
  console.log(
    `banner-api bench: ${bench.campaigns.length} campaigns, ${duration} s per target, ${connections} connections, autocannon in a separate process; load average ${loadAverage()}`,
  );
  const rows: Array<[string, LoadResult, string?]> = [];
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
    rows.push(['bare node:http (baseline)', baseline]);
    const app = await runLoad({ url: bench.url, connections, durationSeconds: duration, variants });
    rows.push(['banner-api, 1 process', app]);

    const during = await loadDuringImport(bench, variants);
    rows.push([`same, during a ${importMb} MB import`, during.load]);

    for (const count of [1, workers]) {
      const started = await startMain(bench, count);
      try {
        const result = await runLoad({
          url: started.url,
          connections,
          durationSeconds: duration,
          variants,
        });
        rows.push([
          `main.js, BANNER_WORKERS=${count}`,
          result,
          `RSS per process: ${started
            .rss()
            .map((r) => `${fixed(r, 0)} MB`)
            .join(', ')}`,
        ]);
      } finally {
        await started.stop();
      }
    }
    report(rows, baseline, app, during);
  } finally {
    await new Promise((resolve) => (bare.server as Server).close(resolve));
    await bench.app.close();
  }
}

/** Serving load while `importMb` MB of impressions are uploaded (curl, its own process) and imported. */
async function loadDuringImport(bench: BenchApp, variants: RequestVariant[]) {
  const dir = await mkdtemp(join(tmpdir(), 'banner-bench-'));
  try {
    const file = join(dir, 'impressions_1.csv');
    await writeImpressions(file, importMb, bench.campaigns);
    const rssBefore = mb(process.memoryUsage().rss);
    let rssPeak = rssBefore;
    const sampler = setInterval(
      () => (rssPeak = Math.max(rssPeak, mb(process.memoryUsage().rss))),
      100,
    );
    const started = Date.now();
    let importSeconds = 0;
    const importing = new Promise<string>((resolve, reject) => {
      // A second after the load starts, so the first second is steady state.
      setTimeout(() => {
        const curl = spawn('curl', [
          '-sS',
          '-o',
          '/dev/null',
          '-w',
          '%{http_code}',
          '-H',
          `Authorization: Bearer ${bench.token}`,
          '-F',
          `file=@${file}`,
          `${bench.url}/imports`,
        ]);
        let status = '';
        curl.stdout.on('data', (chunk) => (status += chunk));
        curl.on('error', reject);
        curl.on('exit', () => {
          importSeconds = (Date.now() - started) / 1000 - 1;
          resolve(status);
        });
      }, 1000);
    });
    const load = await runLoad(
      { url: bench.url, connections, durationSeconds: 1800, variants },
      importing,
    );
    clearInterval(sampler);
    return {
      load,
      status: await importing,
      importSeconds,
      heapPeakMb: bench.app.get(ImportRunner).lastHeapPeakMb,
      rssBefore,
      rssPeak,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** An impressions file of about `megabytes` MB over the served campaigns (a replacement of quarter 1's). */
async function writeImpressions(
  file: string,
  megabytes: number,
  campaigns: BenchApp['campaigns'],
): Promise<void> {
  const out = createWriteStream(file);
  let block = '';
  for (let i = 0; i < 20_000; i++) {
    const { campaignId, bannerIds } = campaigns[i % campaigns.length];
    block += `${bannerIds[i % bannerIds.length]},${campaignId}\n`;
  }
  out.write('banner_id,campaign_id\n');
  // Just under the size, so a 100 MB file passes the default 100 MB limit.
  for (
    let written = block.length;
    written < megabytes * 1024 * 1024 - 64;
    written += block.length
  ) {
    if (!out.write(block)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

/** `node dist/main.js` with BANNER_WORKERS=count on the bench's database and secrets. */
async function startMain(bench: BenchApp, count: number) {
  const port = await benchPort();
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, '..', 'main.js')], {
    env: { ...bench.env, PORT: String(port), HOST: '127.0.0.1', BANNER_WORKERS: String(count) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      const listing = (await (await fetch(`${url}/campaigns`)).json()) as { campaigns: unknown[] };
      if (listing.campaigns.length) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`main.js with ${count} workers did not serve within 2 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return {
    url,
    /** RSS of each serving process (the workers; the process itself when there is one). */
    rss(): number[] {
      const ids =
        count > 1
          ? execFileSync('ps', ['-o', 'pid=', '--ppid', String(child.pid)], { encoding: 'utf8' })
              .split('\n')
              .filter(Boolean)
          : [String(child.pid)];
      return ids.map(
        (id) =>
          Number(execFileSync('ps', ['-o', 'rss=', '-p', id.trim()], { encoding: 'utf8' })) / 1024,
      );
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

const loadAverage = () =>
  execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ').slice(0, 3).join(' ');

function report(
  rows: Array<[string, LoadResult, string?]>,
  baseline: LoadResult,
  app: LoadResult,
  during: Awaited<ReturnType<typeof loadDuringImport>>,
): void {
  const line = (name: string, r: LoadResult, note = '') =>
    `${name.padEnd(34)} ${fixed(r.requestsPerSecond, 0).padStart(9)} ${fixed(r.requestsPerSecond / baseline.requestsPerSecond).padStart(6)} ${fixed(r.p50).padStart(7)} ${fixed(r.p99).padStart(7)} ${fixed(r.max, 0).padStart(7)} ${String(r.errors + r.timeouts).padStart(7)} ${String(r.non2xx).padStart(7)}  ${note}`;
  console.log(
    `\n${'target'.padEnd(34)} ${'req/s'.padStart(9)} ${'ratio'.padStart(6)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'max ms'.padStart(7)} ${'errors'.padStart(7)} ${'non-2xx'.padStart(7)}`,
  );
  for (const [name, result, note] of rows) console.log(line(name, result, note));
  console.log(
    `\nimport of ${importMb} MB during the load: HTTP ${during.status} after ${fixed(during.importSeconds, 1)} s; import thread heap peak ${fixed(during.heapPeakMb, 1)} MB; serving process RSS ${fixed(during.rssBefore, 0)} -> peak ${fixed(during.rssPeak, 0)} MB`,
  );
  console.log(`p99 before the import ${fixed(app.p99)} ms, during it ${fixed(during.load.p99)} ms`);
  const ratio = app.requestsPerSecond / baseline.requestsPerSecond;
  const checks = [
    [
      `>= ${GOALS.requestsPerSecond} req/s (1 process)`,
      app.requestsPerSecond >= GOALS.requestsPerSecond,
    ],
    [
      `>= ${GOALS.ratio}x the bare server (1 process, a third of requests with a cookie)`,
      ratio >= GOALS.ratio,
    ],
    [`p99 <= ${GOALS.p99} ms`, app.p99 <= GOALS.p99],
    [`p99 <= ${GOALS.p99} ms during the import`, during.load.p99 <= GOALS.p99],
    ['import accepted (201)', during.status === '201'],
    [
      'no errors, timeouts or non-2xx',
      rows.every(([, r]) => r.errors + r.timeouts + r.non2xx === 0),
    ],
  ] as const;
  for (const [goal, met] of checks) console.log(`  ${met ? 'met    ' : 'MISSED '} ${goal}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
