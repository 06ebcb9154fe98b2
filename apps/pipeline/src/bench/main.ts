import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, startTestServer } from '@des/shared/testing';
import { generateBatches } from '../generator/batch-generator';

interface Measurement {
  rows: number;
  seconds: number;
  maxRssMb: number;
  [key: string]: number;
}

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
// The heap settings of `npm run pipeline`, given to both sides so they compare like for like.
const NODE_FLAGS = ['--max-semi-space-size=16', '--max-old-space-size=128'];

function measure(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_FLAGS, join(__dirname, script), ...args], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').pop()!) as Measurement)
        : reject(new Error(`${script} exited with ${code}`)),
    );
  });
}

/**
 * One generated file of BENCH_ROWS (default 1,000,000) rows, end to end through the pipeline,
 * next to the baseline of the same parser reading it and csv-stringify writing it back. Each
 * side runs in its own process so peak RSS is its own.
 */
async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'pipeline-bench-'));
  const server = await startTestServer();
  process.env.DATABASE_URL = server.url;
  const database = await createTestDatabase('pipeline_bench');
  try {
    console.log(`Generating ${ROWS.toLocaleString('en')} rows...`);
    const [file] = await generateBatches({
      dir: join(dir, 'incoming'),
      files: 1,
      rows: ROWS,
      seed: 42,
    });
    const size = (await stat(file)).size;
    console.log(`${file}: ${(size / 1024 / 1024).toFixed(1)} MB`);

    const baseline = await measure(
      'baseline.js',
      [file, join(dir, 'baseline-out.csv')],
      process.env,
    );
    const pipeline = await measure('pipeline-run.js', [], {
      ...process.env,
      DATABASE_URL: database.url,
      PIPELINE_DATA_DIR: dir,
    });

    const rate = (m: Measurement) => m.rows / m.seconds;
    const row = (name: string, m: Measurement) =>
      `${name.padEnd(10)} ${String(Math.round(rate(m))).padStart(10)} rows/s ${m.seconds.toFixed(2).padStart(8)} s ${m.maxRssMb.toFixed(0).padStart(6)} MB peak RSS`;
    console.log(row('baseline', baseline));
    console.log(row('pipeline', pipeline));
    console.log(
      `ratio: ${(rate(pipeline) / rate(baseline)).toFixed(2)}x baseline rows/s (goal >= 0.5), ` +
        `peak RSS ${pipeline.maxRssMb.toFixed(0)} MB (goal < 200 MB)`,
    );
    console.log(`node flags on both sides: ${NODE_FLAGS.join(' ')}`);
    console.log(
      `pipeline result: ${pipeline.successful} successful, ${pipeline.failed} failed, ` +
        `${pipeline.duplicates} duplicates, ${pipeline.ambiguousDates} ambiguous dates, ` +
        `${pipeline.membershipCollisions} membership id collisions`,
    );
  } finally {
    await database.drop();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
