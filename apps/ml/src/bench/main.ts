/**
 * `npm run bench -w apps/ml`: `POST /predictions` of the real service (`node dist/main.js`) next
 * to a bare node:http server that parses the same bodies and answers a JSON of the same shape,
 * loaded in alternating rounds by the same load generator (autocannon, in this process; each
 * server in its own). BENCH_ROUNDS (3), BENCH_DURATION_S (10 per target and round),
 * BENCH_CONNECTIONS (10), LOG_LEVEL of the service (info, as in production). First it times
 * training the committed model's configuration on all rows.
 */
import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startTestServer } from '@des/shared/testing';
import { loadCarData } from '../car/car-data';
import { loadConfig } from '../config';
import { BuyingClassifier } from '../model/classifier';
import { loadClassifier } from '../model/model-store';
import { loadTf } from '../model/tf-backend';

const ROUNDS = positive('BENCH_ROUNDS', 3);
const DURATION_S = positive('BENCH_DURATION_S', 10);
const CONNECTIONS = positive('BENCH_CONNECTIONS', 10);
const GOALS = { ratio: 0.5, p99Ms: 5 };

/** A mix of requests: the question (persons missing), a complete car, variants, sparse input. */
const BODIES = [
  { maint: 'high', doors: '4', lug_boot: 'big', safety: 'high', class: 'good' },
  { maint: 'low', doors: '4', persons: '4', lug_boot: 'big', safety: 'high', class: 'vgood' },
  { maint: 'High', doors: 2, persons: '5+', lug_boot: 'small', safety: 'med', class: 'acc' },
  { class: 'unacc', safety: 'low' },
];

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name}: whole number ≥ 1, got "${raw}"`);
  return value;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

interface Target {
  name: string;
  url: string;
  child: ChildProcess;
}

async function start(name: string, script: string, env: NodeJS.ProcessEnv): Promise<Target> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(__dirname, '..', script)], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    const answered = await fetch(`${url}/predictions`, post(BODIES[0])).then(
      (r) => r.ok,
      () => false,
    );
    if (answered) return { name, url, child };
    if (Date.now() > deadline) throw new Error(`${name} did not answer within 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const post = (body: object) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

interface Figures {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function load(target: Target, duration: number): Promise<Figures> {
  const result = await autocannon({
    url: `${target.url}/predictions`,
    connections: CONNECTIONS,
    duration,
    requests: BODIES.map((body) => ({ ...post(body), method: 'POST' as const })),
  });
  return {
    requestsPerSecond: result.requests.total / duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const load1 = () => loadavg()[0].toFixed(2);

function row(name: string, f: Figures): string {
  return `  ${name.padEnd(20)} ${f.requestsPerSecond.toFixed(0).padStart(7)} req/s   p50 ${String(f.p50).padStart(3)} ms   p99 ${String(f.p99).padStart(3)} ms   non-2xx ${f.non2xx}   errors ${f.errors}`;
}

/** Training the committed configuration on all rows, timed (what a retrain costs). */
async function timeTraining(): Promise<void> {
  const config = loadConfig();
  const { tf, backend } = loadTf();
  const { rows } = loadCarData(config.ML_DATA_FILE);
  const { metadata } = await loadClassifier(tf, config.ML_MODEL_DIR);
  const started = Date.now();
  BuyingClassifier.train(tf, metadata.config, rows).dispose();
  console.log(
    `training ${metadata.config.name} on all ${rows.length} rows: ${Date.now() - started} ms (backend ${backend})`,
  );
}

async function main(): Promise<void> {
  await timeTraining();
  // A throwaway PostgreSQL (or DATABASE_URL's) for the service, as in production.
  const database = await startTestServer();
  const targets: Target[] = [];
  try {
    const service = await start('ml POST /predictions', 'main.js', {
      DATABASE_URL: database.url,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    });
    targets.push(service);
    const answer = await (await fetch(`${service.url}/predictions`, post(BODIES[0]))).text();
    const bare = await start('bare node:http', 'bench/bare-server.js', { BARE_ANSWER: answer });
    targets.push(bare);
    const model = (await (await fetch(`${service.url}/model`)).json()) as {
      serving: { answers: number; buildMs: number };
    };
    console.log(
      `ml bench: ${ROUNDS} rounds × ${DURATION_S} s per target, ${CONNECTIONS} connections, ${BODIES.length} request bodies; load average ${load1()} at the start`,
    );
    console.log(
      `service: ${model.serving.answers} answers precomputed in ${model.serving.buildMs} ms at start-up`,
    );
    for (const target of targets) await load(target, 2); // warm-up: JIT and connections
    const figures = new Map<Target, Figures[]>(targets.map((t) => [t, []]));
    for (let round = 1; round <= ROUNDS; round++) {
      console.log(`round ${round} (load average ${load1()})`);
      // Alternate who goes first, so a change in the machine's load hits both alike.
      for (const target of round % 2 ? [bare, service] : [service, bare]) {
        const result = await load(target, DURATION_S);
        figures.get(target)!.push(result);
        console.log(row(target.name, result));
      }
      const [s, b] = [service, bare].map((t) => figures.get(t)!.at(-1)!.requestsPerSecond);
      console.log(`  ratio ${(s / b).toFixed(2)}×`);
    }
    const summary = (t: Target) => {
      const all = figures.get(t)!;
      return {
        requestsPerSecond: median(all.map((f) => f.requestsPerSecond)),
        p50: median(all.map((f) => f.p50)),
        p99: median(all.map((f) => f.p99)),
        non2xx: all.reduce((n, f) => n + f.non2xx, 0),
        errors: all.reduce((n, f) => n + f.errors, 0),
      };
    };
    const [s, b] = [summary(service), summary(bare)];
    const ratios = figures
      .get(service)!
      .map((f, i) => f.requestsPerSecond / figures.get(bare)![i].requestsPerSecond);
    console.log(`\nmedians over ${ROUNDS} rounds (load average ${load1()} at the end):`);
    console.log(row(bare.name, b));
    console.log(row(service.name, s));
    console.log(
      `  predictions/s ratio ${median(ratios).toFixed(2)}× (rounds: ${ratios.map((r) => r.toFixed(2)).join(', ')})`,
    );
    const checks: Array<[string, boolean]> = [
      [`≥ ${GOALS.ratio}× the bare server's requests/s`, median(ratios) >= GOALS.ratio],
      [`p99 ≤ ${GOALS.p99Ms} ms`, s.p99 <= GOALS.p99Ms],
      ['no errors and no non-2xx', s.errors + s.non2xx === 0],
    ];
    for (const [goal, met] of checks) console.log(`  ${met ? 'met   ' : 'MISSED'} ${goal}`);
  } finally {
    for (const { child } of targets) {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    }
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
