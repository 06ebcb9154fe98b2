// `npm run bench`: page load in headless chromium (median of 10 cold loads: navigation to first
// rendered plot, bytes transferred) and API latency (p50/p99), each beside a baseline measured in
// the same run: a bare page with the same Plotly bundle and a 3-point plot, and GET /health. For
// comparison it also loads the same page with the full plotly.js-dist bundle.
import { readFileSync } from 'node:fs';
import { createServer, Agent, get, request, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { INestApplication } from '@nestjs/common';
import { createTestDatabase, startTestServer } from '@des/shared/testing';
import type { Browser, Page } from 'playwright-core';
import { createApp } from '../app';
import { APP_ROOT } from '../config';
import { AssetManifest } from '../page/asset-manifest';
import { launchChromium } from '@des/shared/browser';

const LOADS = Number(process.env.BENCH_LOADS ?? 10);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const CONCURRENCY = 8;

/** Milliseconds from the page's navigation start (its `performance.timeOrigin`), and bytes. */
interface LoadFigures {
  /** Plotly's script fully received. */
  plotlyMs: number;
  /** The first /api/series answer received (none on the bare page). */
  seriesMs: number;
  /** DOMContentLoaded: the deferred scripts (app.js, then Plotly) have run. */
  scriptsMs: number;
  /** The `first-plot` mark, set once the first Plotly.react has drawn the chart. */
  firstPlotMs: number;
  bytes: number;
}

const PUBLIC_DIR = join(APP_ROOT, 'dist', 'public');

async function main(): Promise<void> {
  const loadAtStart = loadavg();
  const server = await startTestServer();
  process.env.DATABASE_URL = server.url;
  const database = await createTestDatabase('dashboard_bench');
  const app = await createApp({ ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
  await app.listen(0, '127.0.0.1');
  const base = urlOf(app.getHttpServer());
  const baseline = await startBaselinePage();
  const fullBundle = await startFullBundlePage(base);
  const browser = await launchChromium();
  // A shared link as the page writes it: ISO ids, so the series request starts at once.
  const view = '/?countries=SG&metric=daily';
  try {
    const [dashboard, bare, full] = await loads(browser, [
      base + view,
      urlOf(baseline),
      urlOf(fullBundle) + view,
    ]);
    const series = await latencies(`${base}/api/series?country=Singapore&metric=confirmed`);
    const compat = await latencies(`${base}/country/singapore/status/confirmed`);
    const countries = await latencies(`${base}/api/countries`);
    const health = await latencies(`${base}/health`);

    console.log(
      `\nDashboard benchmark (${LOADS} cold loads in headless chromium, ${REQUESTS} API requests, concurrency ${CONCURRENCY})\n`,
    );
    table([
      ['measure', 'value', 'goal', 'baseline', 'ratio'],
      row(
        'first plot, cold, median (ms)',
        dashboard.cold.firstPlotMs,
        '< 1000',
        bare.cold.firstPlotMs,
      ),
      row(
        'transferred, cold, median (KB)',
        dashboard.cold.bytes / 1024,
        '< 1536',
        bare.cold.bytes / 1024,
      ),
      row(
        'first plot, warm, median (ms)',
        dashboard.warm.firstPlotMs,
        '< 1000',
        bare.warm.firstPlotMs,
      ),
      row(
        'transferred, warm, median (KB)',
        dashboard.warm.bytes / 1024,
        '',
        bare.warm.bytes / 1024,
      ),
      row('/api/series p50 (ms)', series.p50, '', health.p50),
      row('/api/series p99 (ms)', series.p99, '', health.p99),
      row('/country/.../status p50 (ms)', compat.p50, '', health.p50),
      row('/country/.../status p99 (ms)', compat.p99, '', health.p99),
      row('/api/countries (201) p50 (ms)', countries.p50, '', health.p50),
      row('/api/countries (201) p99 (ms)', countries.p99, '', health.p99),
    ]);
    console.log(
      '\nBaselines: a bare page serving the same brotli Plotly bundle with a 3-point plot; GET /health (one database ping).',
    );
    console.log(
      '\nWhere a cold load spends its time (medians, ms from navigation start; KB transferred):\n',
    );
    table([
      ['page', 'Plotly received', 'series received', 'scripts run', 'first plot', 'KB'],
      phases('dashboard (plotly.js-basic-dist-min)', dashboard.cold),
      phases('same page, full plotly.js-dist-min', full.cold),
      phases('bare page (plotly.js-basic-dist-min)', bare.cold),
    ]);
    console.log(
      `\nThe full bundle costs ${(full.cold.firstPlotMs - dashboard.cold.firstPlotMs).toFixed(0)} ms more to the first plot (${(full.cold.firstPlotMs / dashboard.cold.firstPlotMs).toFixed(2)}x), warm ${full.warm.firstPlotMs.toFixed(0)} ms against ${dashboard.warm.firstPlotMs.toFixed(0)} ms.`,
    );
    const met = dashboard.cold.firstPlotMs < 1000 && dashboard.cold.bytes < 1.5 * 1024 * 1024;
    console.log(
      `Goals on a cold load (first plot < 1 s, < 1.5 MB transferred): ${met ? 'met' : 'NOT met'}`,
    );
    const load = (values: number[]) => values.map((l) => l.toFixed(2)).join(' ');
    console.log(
      `Load average (1, 5, 15 min) at the start: ${load(loadAtStart)}; at the end: ${load(loadavg())}; ${cpus().length} cores`,
    );
  } finally {
    await browser.close();
    await app.close();
    baseline.close();
    fullBundle.close();
    await database.drop();
    await server.stop();
  }
}

/**
 * Median figures over LOADS visits of each url, each visit in a fresh browser context: a cold load
 * (empty cache), then a warm one in the same context (cached assets, as for a returning reader).
 * The urls take turns, so a change in the machine's load touches them alike.
 */
async function loads(
  browser: Browser,
  urls: string[],
): Promise<Array<{ cold: LoadFigures; warm: LoadFigures }>> {
  const runs = urls.map(() => ({ cold: [] as LoadFigures[], warm: [] as LoadFigures[] }));
  for (let i = 0; i < LOADS; i++) {
    for (const [u, url] of urls.entries()) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      let bytes = 0;
      cdp.on('Network.loadingFinished', (event) => {
        bytes += event.encodedDataLength;
      });
      for (const figures of [runs[u].cold, runs[u].warm]) {
        bytes = 0;
        await page.goto(url);
        figures.push({ ...(await timings(page)), bytes });
      }
      await context.close();
    }
  }
  const summary = (figures: LoadFigures[]): LoadFigures => ({
    plotlyMs: median(figures.map((f) => f.plotlyMs)),
    seriesMs: median(figures.map((f) => f.seriesMs)),
    scriptsMs: median(figures.map((f) => f.scriptsMs)),
    firstPlotMs: median(figures.map((f) => f.firstPlotMs)),
    bytes: median(figures.map((f) => f.bytes)),
  });
  return runs.map((run) => ({ cold: summary(run.cold), warm: summary(run.warm) }));
}

/** Waits for the first plot, then reads the load's phases and waits for the network to settle. */
async function timings(page: Page): Promise<Omit<LoadFigures, 'bytes'>> {
  await page.waitForFunction(
    () => performance.getEntriesByName('first-plot')[0]?.startTime,
    undefined,
    { timeout: 30_000 },
  );
  // Read in the page, so the figures start at its navigation start: the time to open the
  // browser context and to send the navigation command is not counted.
  const figures = await page.evaluate(() => {
    const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const received = (part: string) =>
      resources.find((entry) => entry.name.includes(part))?.responseEnd ?? NaN;
    return {
      plotlyMs: received('plotly'),
      seriesMs: received('/api/series'),
      scriptsMs: navigation.domContentLoadedEventStart,
      firstPlotMs: performance.getEntriesByName('first-plot')[0].startTime,
    };
  });
  await page.waitForLoadState('networkidle');
  return figures;
}

/** p50/p99 of GET url over REQUESTS requests, CONCURRENCY at a time, on kept-alive connections. */
async function latencies(url: string): Promise<{ p50: number; p99: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const once = () =>
    new Promise<number>((resolve, reject) => {
      const start = process.hrtime.bigint();
      get(url, { agent }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`${url}: HTTP ${res.statusCode}`));
          else resolve(Number(process.hrtime.bigint() - start) / 1e6);
        });
      }).on('error', reject);
    });
  for (let i = 0; i < 50; i++) await once(); // warm-up
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < REQUESTS) times.push(await once());
    }),
  );
  agent.destroy();
  times.sort((a, b) => a - b);
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99) };
}

/** The app's Plotly asset: its route and its built file. */
function plotlyAsset(): { route: string; file: string } {
  const manifest = JSON.parse(
    readFileSync(join(PUBLIC_DIR, 'manifest.json'), 'utf8'),
  ) as AssetManifest;
  const [route, asset] = Object.entries(manifest).find(([, a]) => a.file.startsWith('plotly.'))!;
  return { route, file: asset.file };
}

/** The same Plotly bundle, brotli-compressed as the app serves it, under a trivial plot. */
async function startBaselinePage(): Promise<Server> {
  const bundle = readFileSync(join(PUBLIC_DIR, `${plotlyAsset().file}.br`));
  const html = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script defer src="/plotly.js"></script></head><body><div id="c" style="height:400px"></div>
<script>document.addEventListener('DOMContentLoaded', () => Plotly.newPlot('c', [{ x: [1, 2, 3], y: [1, 3, 2] }]).then(() => performance.mark('first-plot')));</script>
</body></html>`;
  const server = createServer((req, res) => {
    if (req.url === '/plotly.js') {
      res.writeHead(200, {
        'Content-Type': 'text/javascript',
        'Content-Encoding': 'br',
        'Cache-Control': 'public, max-age=31536000, immutable',
      });
      res.end(bundle);
    } else {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/**
 * The dashboard page as the app serves it, except that it loads the full plotly.js-dist bundle
 * (brotli, quality 11, cached for a year, as the app would serve it). Every other request is
 * passed to the app.
 */
async function startFullBundlePage(appBase: string): Promise<Server> {
  const route = plotlyAsset().route;
  const html = brotli(
    Buffer.from(
      readFileSync(join(PUBLIC_DIR, 'index.html'), 'utf8').replace(route, '/full/plotly.min.js'),
    ),
  );
  const bundle = brotli(readFileSync(require.resolve('plotly.js-dist-min/plotly.min.js')));
  const app = new URL(appBase);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/' || path === '/full/plotly.min.js') {
      res.writeHead(200, {
        'Content-Type': path === '/' ? 'text/html; charset=utf-8' : 'text/javascript',
        'Content-Encoding': 'br',
        'Cache-Control': path === '/' ? 'no-cache' : 'public, max-age=31536000, immutable',
      });
      res.end(path === '/' ? html : bundle);
      return;
    }
    const upstream = request(
      {
        host: app.hostname,
        port: app.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const brotli = (bytes: Buffer) =>
  brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });

function urlOf(server: Server | ReturnType<INestApplication['getHttpServer']>): string {
  return `http://127.0.0.1:${((server as Server).address() as AddressInfo).port}`;
}

const median = (values: number[]) =>
  quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function row(name: string, value: number, goal: string, baseline: number): string[] {
  return [name, value.toFixed(1), goal, baseline.toFixed(1), `${(value / baseline).toFixed(2)}x`];
}

function phases(name: string, figures: LoadFigures): string[] {
  const ms = (value: number) => (Number.isNaN(value) ? '-' : value.toFixed(0));
  return [
    name,
    ms(figures.plotlyMs),
    ms(figures.seriesMs),
    ms(figures.scriptsMs),
    ms(figures.firstPlotMs),
    (figures.bytes / 1024).toFixed(0),
  ];
}

function table(rows: string[][]): void {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((cell, i) => cell.padEnd(widths[i])).join('  '));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
