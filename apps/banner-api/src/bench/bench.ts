/**
 * `npm run bench`: the banner route of the real app next to a bare node:http server, measured in
 * the same run with the same load generator (autocannon in its own process); then the same load
 * while a large CSV import runs (p99 before and during, the import thread's heap peak and the
 * process's RSS); then the production entry point with 1 and with N worker processes, each after
 * a bare node:cluster server with as many processes (its baseline). CPU per request is the
 * serving processes' CPU time over the run divided by the requests answered.
 * BENCH_DURATION (s, default 30), BENCH_CONNECTIONS (default 50), BENCH_IMPORT_MB (default 100),
 * BENCH_WORKERS (default: the number of cores), BENCH_PORT (first of a port range; default any).
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Server } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImportRunner } from '../imports/import-runner';
import { startBareServer } from './bare-server';
import { BenchApp, fixed, requestVariants, runLoad, startBenchApp, withCookies } from './harness';
import { LoadResult, RequestVariant } from './load';
import { benchPort } from './ports';

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
  const cookieVariants = withCookies(bench);
  const rows: Row[] = [];
  // This process serves both in-process targets, one at a time: its CPU time over a run is the server's.
  const inProcess = async (url: string, plan: RequestVariant[]) => {
    const cpu = process.cpuUsage();
    const load = await runLoad({ url, connections, durationSeconds: duration, variants: plan });
    const used = process.cpuUsage(cpu);
    return { load, cpuMs: (used.user + used.system) / 1000 };
  };
  try {
    // Short warm-up of each target so the JIT has settled before measuring.
    for (const url of [bare.url, bench.url])
      await runLoad({ url, connections, durationSeconds: 3, variants });
    const baseline = await inProcess(bare.url, variants);
    rows.push({ name: 'bare node:http (baseline)', ...baseline });
    const app = await inProcess(bench.url, variants);
    rows.push({ name: 'banner-api, 1 process, mixed', ...app, baseline });
    const cookie = await inProcess(bench.url, cookieVariants);
    rows.push({ name: 'banner-api, 1 process, cookie', ...cookie, baseline });

    const during = await loadDuringImport(bench, variants);
    rows.push({ name: `same, during a ${importMb} MB import`, load: during.load, baseline });

    // The production entry point and the bare cluster, each in its own process tree, alternately.
    for (const count of [1, workers]) {
      let bareRow: Row | undefined;
      for (const target of ['bare', 'app'] as const) {
        const started =
          target === 'bare' ? await startBareCluster(count) : await startMain(bench, count);
        try {
          const cpuBefore = started.cpuMs();
          const load = await runLoad({
            url: started.url,
            connections,
            durationSeconds: duration,
            variants,
          });
          const row: Row = {
            name:
              target === 'bare'
                ? `bare node:http, ${count} process${count > 1 ? 'es' : ''}`
                : `main.js, BANNER_WORKERS=${count}`,
            load,
            cpuMs: started.cpuMs() - cpuBefore,
            baseline: bareRow ?? baseline,
            note: `RSS per process: ${started
              .rss()
              .map((r) => `${fixed(r, 0)} MB`)
              .join(', ')}`,
          };
          rows.push(row);
          bareRow ??= row;
        } finally {
          await started.stop();
        }
      }
    }
    report(rows, app.load, cookie, baseline, during);
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
  return startProcessTree(
    join(__dirname, '..', 'main.js'),
    { ...bench.env, HOST: '127.0.0.1', BANNER_WORKERS: String(count) },
    count,
    async (url) => {
      const listing = (await (await fetch(`${url}/campaigns`)).json()) as { campaigns: unknown[] };
      return listing.campaigns.length > 0;
    },
  );
}

/** The bare server (bare-server.js as a script) in `count` processes. */
function startBareCluster(count: number) {
  return startProcessTree(
    join(__dirname, 'bare-server.js'),
    { ...process.env, BENCH_BARE_WORKERS: String(count) },
    count,
    async (url) => (await fetch(url)).ok,
  );
}

/** A server process on a bench port, with its workers when `count` > 1; resolves once `ready`. */
async function startProcessTree(
  script: string,
  env: NodeJS.ProcessEnv,
  count: number,
  ready: (url: string) => Promise<boolean>,
) {
  const port = await benchPort();
  const child: ChildProcess = spawn(process.execPath, [script], {
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      if (await ready(url)) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`${script} with ${count} processes did not serve within 2 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  /** The serving processes: the workers, or the process itself when there is one. */
  const servers = () =>
    count > 1
      ? execFileSync('ps', ['-o', 'pid=', '--ppid', String(child.pid)], { encoding: 'utf8' })
          .split('\n')
          .map((id) => id.trim())
          .filter(Boolean)
      : [String(child.pid)];
  return {
    url,
    rss: (): number[] =>
      servers().map(
        (id) => Number(execFileSync('ps', ['-o', 'rss=', '-p', id], { encoding: 'utf8' })) / 1024,
      ),
    /** CPU time (user + system) of the whole tree so far, in ms. */
    cpuMs: (): number =>
      [String(child.pid), ...(count > 1 ? servers() : [])].reduce(
        (sum, id) => sum + cpuMsOf(id),
        0,
      ),
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** utime + stime of a process from /proc (fields 14 and 15, in clock ticks of 10 ms on Linux). */
function cpuMsOf(pid: string): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const loadAverage = () =>
  execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ').slice(0, 3).join(' ');

interface Measured {
  load: LoadResult;
  /** CPU time the serving process(es) used during the run, in ms. */
  cpuMs?: number;
}

interface Row extends Measured {
  name: string;
  /** What the ratio columns compare with (none: the row is a baseline). */
  baseline?: Measured;
  note?: string;
}

const perRequestUs = (row: Measured) =>
  row.cpuMs === undefined ? undefined : (row.cpuMs * 1000) / row.load.requests;

function report(
  rows: Row[],
  app: LoadResult,
  cookie: Measured,
  baseline: Measured,
  during: Awaited<ReturnType<typeof loadDuringImport>>,
): void {
  const cells = (row: Row) => {
    const { load, baseline: base } = row;
    const cpu = perRequestUs(row);
    const baseCpu = base && perRequestUs(base);
    return [
      row.name.padEnd(34),
      fixed(load.requestsPerSecond, 0).padStart(8),
      (base ? fixed(load.requestsPerSecond / base.load.requestsPerSecond) : '1.00').padStart(6),
      fixed(load.p50).padStart(7),
      fixed(load.p99).padStart(7),
      fixed(load.max, 0).padStart(7),
      String(load.errors + load.timeouts + load.non2xx).padStart(6),
      (cpu === undefined ? '' : fixed(cpu, 1)).padStart(8),
      (cpu !== undefined && baseCpu ? fixed(cpu / baseCpu) : '').padStart(6),
      ` ${row.note ?? ''}`,
    ].join(' ');
  };
  console.log(
    `\n${'target'.padEnd(34)} ${'req/s'.padStart(8)} ${'ratio'.padStart(6)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'max ms'.padStart(7)} ${'errors'.padStart(6)} ${'CPU µs/req'.padStart(8)} ${'ratio'.padStart(6)}`,
  );
  for (const row of rows) console.log(cells(row));
  console.log(
    "(ratio: against the row's baseline, the bare server of the same process count; errors include timeouts and non-2xx)",
  );
  console.log(
    `\nimport of ${importMb} MB during the load: HTTP ${during.status} after ${fixed(during.importSeconds, 1)} s; import thread heap peak ${fixed(during.heapPeakMb, 1)} MB; serving process RSS ${fixed(during.rssBefore, 0)} -> peak ${fixed(during.rssPeak, 0)} MB`,
  );
  console.log(`p99 before the import ${fixed(app.p99)} ms, during it ${fixed(during.load.p99)} ms`);
  const base = baseline.load.requestsPerSecond;
  const checks = [
    [
      `>= ${GOALS.requestsPerSecond} req/s (1 process)`,
      app.requestsPerSecond >= GOALS.requestsPerSecond,
    ],
    [
      `>= ${GOALS.ratio}x the bare server (1 process, mixed: a third with a cookie)`,
      app.requestsPerSecond / base >= GOALS.ratio,
    ],
    [
      `>= ${GOALS.ratio}x the bare server (1 process, every request with a cookie)`,
      cookie.load.requestsPerSecond / base >= GOALS.ratio,
    ],
    [`p99 <= ${GOALS.p99} ms`, app.p99 <= GOALS.p99],
    [`p99 <= ${GOALS.p99} ms during the import`, during.load.p99 <= GOALS.p99],
    ['import accepted (201)', during.status === '201'],
    [
      'no errors, timeouts or non-2xx',
      rows.every(({ load: r }) => r.errors + r.timeouts + r.non2xx === 0),
    ],
  ] as const;
  for (const [goal, met] of checks) console.log(`  ${met ? 'met    ' : 'MISSED '} ${goal}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
