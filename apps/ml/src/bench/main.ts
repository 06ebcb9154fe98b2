import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startTestServer } from '@des/shared/testing';
import { loadCarData } from '../car/car-data';
import { loadConfig } from '../config';
import { crossValidate } from '../evaluation/cross-validate';
import { BuyingClassifier } from '../model/classifier';
import { FileModelHandler, loadClassifier } from '../model/model-store';
import { PredictionTable } from '../model/prediction-table';
import { loadTf } from '../model/tf-backend';
import { FALLBACK_CANDIDATE } from '../training/candidates';
import { candidateLearner } from '../training/training';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
// One connection already saturates the single-threaded server (same req/s as 4 here); more only
// add queueing delay to the latency figures (Little's law). BENCH_CONNECTIONS raises it.
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 1);

/** A mix of requests: the question (persons missing), a complete car, variants, sparse input. */
const BODIES = [
  { maint: 'high', doors: '4', lug_boot: 'big', safety: 'high', class: 'good' },
  { maint: 'low', doors: '4', persons: '4', lug_boot: 'big', safety: 'high', class: 'vgood' },
  { maint: 'High', doors: 2, persons: '5+', lug_boot: 'small', safety: 'med', class: 'acc' },
  { class: 'unacc', safety: 'low' },
];

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

async function waitFor(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

interface HttpFigures {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
}

/** Starts the real service (dist/main.js) with the given predictor and loads it with autocannon. */
async function serveAndLoad(
  predictor: 'model' | 'lookup',
  databaseUrl: string,
): Promise<HttpFigures> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(__dirname, '..', 'main.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      ML_PREDICTOR: predictor,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitFor(`http://127.0.0.1:${port}/model`, child);
    const load = (duration: number) =>
      autocannon({
        url: `http://127.0.0.1:${port}/predictions`,
        connections: CONNECTIONS,
        duration,
        requests: BODIES.map((body) => ({
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })),
      });
    await load(2); // warm-up: JIT and connection set-up stay out of the figures
    const result = await load(DURATION_S);
    return {
      requestsPerSecond: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      non2xx: result.non2xx,
    };
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const { tf, backend } = loadTf();
  const data = loadCarData(config.ML_DATA_FILE);
  const modelConfig = FileModelHandler.exists(config.ML_MODEL_DIR)
    ? (await loadClassifier(tf, config.ML_MODEL_DIR)).metadata.config
    : { ...FALLBACK_CANDIDATE, seed: config.ML_SEED };

  console.log(`backend ${backend}; model configuration: ${modelConfig.name}`);
  let started = Date.now();
  const classifier = BuyingClassifier.train(tf, modelConfig, data.rows);
  const trainMs = Date.now() - started;
  started = Date.now();
  PredictionTable.fromPredictor(classifier, data.rows);
  const tableMs = Date.now() - started;
  started = Date.now();
  PredictionTable.fromData(data.rows);
  const lookupTableMs = Date.now() - started;
  classifier.dispose();
  started = Date.now();
  crossValidate(data.rows, [candidateLearner(tf, modelConfig)], {
    folds: 10,
    repetitions: 1,
    seed: 1,
  });
  const cvMs = Date.now() - started;
  console.log(`training on all ${data.rows.length} rows: ${trainMs} ms`);
  console.log(`one 10-fold cross-validation of that configuration: ${(cvMs / 1000).toFixed(1)} s`);
  console.log(
    `precomputing all 8000 answers: model ${tableMs} ms, lookup table ${lookupTableMs} ms`,
  );

  // A throwaway PostgreSQL (or DATABASE_URL's) for the two service processes.
  const server = await startTestServer();
  try {
    console.log(
      `\nPOST /predictions over HTTP: ${CONNECTIONS} connections, ${DURATION_S} s each after a 2 s warm-up, ${BODIES.length} request bodies`,
    );
    const model = await serveAndLoad('model', server.url);
    const lookup = await serveAndLoad('lookup', server.url);
    const row = (name: string, f: HttpFigures) =>
      `${name.padEnd(22)} ${f.requestsPerSecond.toFixed(0).padStart(8)} req/s   p50 ${f.p50} ms   p99 ${f.p99} ms   non-2xx ${f.non2xx}`;
    console.log(row('model (TensorFlow.js)', model));
    console.log(row('lookup table baseline', lookup));
    console.log(
      `ratio model/lookup: ${(model.requestsPerSecond / lookup.requestsPerSecond).toFixed(2)}× throughput (goal ≥ 0.5×), p99 ${model.p99} ms (goal < 5 ms)`,
    );
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
