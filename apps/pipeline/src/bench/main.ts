import { spawn } from 'node:child_process';
import { link, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { intVar, loadEnv } from '@des/shared';
import { createTestDatabase, startTestServer } from '@des/shared/testing';
import { z } from 'zod';
import { generateBatches } from '../generator/batch-generator';

interface Measurement {
  rows: number;
  seconds: number;
  maxRssMb: number;
  [key: string]: number;
}

const { BENCH_ROWS, BENCH_ROUNDS, BENCH_BEFORE } = loadEnv(
  z.object({
    BENCH_ROWS: intVar(1_000_000, 1),
    BENCH_ROUNDS: intVar(3, 1, 50),
    /**
     * The `dist` folder of an earlier build of this app (e.g. main's: `git worktree add
     * /tmp/pipeline-old main`, then `npx tsc -p apps/pipeline` there): its pipeline runs too,
     * alternating with this one in every round, so the two are compared under the same load.
     */
    BENCH_BEFORE: z.string().optional(),
  }),
);
// The pipeline runs with the heap settings of its `start` and `pipeline` scripts; the baseline
// with node's defaults, its fastest (the pipeline's small young generation slows it ~15%).
const PIPELINE_NODE_FLAGS = ['--max-semi-space-size=4', '--max-old-space-size=128'];

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

function measure(
  /** Relative to this folder, or absolute. */
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  nodeFlags: string[] = [],
): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const path = isAbsolute(script) ? script : join(__dirname, script);
    const child = spawn(process.execPath, [...nodeFlags, path, ...args], {
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
 * side runs in its own process so peak RSS is its own. The two alternate for BENCH_ROUNDS
 * rounds (default 3), each pipeline round on a fresh database, and the medians are compared:
 * on a shared machine one round of either side can be a second off.
 */
async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'pipeline-bench-'));
  const server = await startTestServer();
  process.env.DATABASE_URL = server.url;
  try {
    console.log(`Generating ${BENCH_ROWS.toLocaleString('en')} rows...`);
    const [file] = await generateBatches({
      dir: join(dir, 'generated'),
      files: 1,
      rows: BENCH_ROWS,
      seed: 42,
    });
    const size = (await stat(file)).size;
    console.log(`${file}: ${(size / 1024 / 1024).toFixed(1)} MB`);

    const rate = (m: Measurement) => m.rows / m.seconds;
    const row = (name: string, m: Measurement) =>
      `${name.padEnd(10)} ${String(Math.round(rate(m))).padStart(10)} rows/s ${m.seconds.toFixed(2).padStart(8)} s ${m.maxRssMb.toFixed(0).padStart(6)} MB peak RSS`;
    const baselines: Measurement[] = [];
    const pipelines: Measurement[] = [];
    const befores: Measurement[] = [];
    /** One whole pipeline run of `script` on a fresh data folder and database. */
    const runPipeline = async (script: string, name: string): Promise<Measurement> => {
      const dataDir = join(dir, name);
      await mkdir(join(dataDir, 'incoming'), { recursive: true });
      await link(file, join(dataDir, 'incoming', basename(file)));
      const database = await createTestDatabase(`pipeline_bench_${name.replace(/-/g, '_')}`);
      try {
        return await measure(
          script,
          [],
          {
            ...process.env,
            DATABASE_URL: database.url,
            PIPELINE_DATA_DIR: dataDir,
            // The file is complete: no quiet period to wait out.
            PIPELINE_QUIET_SECONDS: '0',
          },
          PIPELINE_NODE_FLAGS,
        );
      } finally {
        await database.drop();
        await rm(dataDir, { recursive: true, force: true });
      }
    };
    const before = BENCH_BEFORE && join(resolve(BENCH_BEFORE), 'bench', 'pipeline-run.js');
    for (let round = 1; round <= BENCH_ROUNDS; round++) {
      const baseline = await measure(
        'baseline.js',
        [file, join(dir, 'baseline-out.csv')],
        process.env,
      );
      // Which of before and now goes first alternates between rounds.
      if (before && round % 2 === 0) befores.push(await runPipeline(before, `before-${round}`));
      pipelines.push(await runPipeline('pipeline-run.js', `round-${round}`));
      if (before && round % 2 === 1) befores.push(await runPipeline(before, `before-${round}`));
      baselines.push(baseline);
      const ratio = rate(pipelines.at(-1)!) / rate(baseline);
      console.log(`round ${round}: ratio ${ratio.toFixed(2)}x`);
      console.log(`  ${row('baseline', baseline)}`);
      console.log(`  ${row('pipeline', pipelines.at(-1)!)}`);
      if (before) {
        const speedup = rate(pipelines.at(-1)!) / rate(befores.at(-1)!);
        console.log(`  ${row('before', befores.at(-1)!)}  (now/before ${speedup.toFixed(2)}x)`);
      }
    }

    const medianOf = (runs: Measurement[]): Measurement => ({
      rows: runs[0].rows,
      seconds: median(runs.map((m) => m.seconds)),
      maxRssMb: Math.max(...runs.map((m) => m.maxRssMb)),
    });
    const ratios = pipelines.map((m, i) => rate(m) / rate(baselines[i]));
    const [baseline, pipeline] = [medianOf(baselines), medianOf(pipelines)];
    console.log(`median of ${BENCH_ROUNDS} round(s), highest peak RSS:`);
    console.log(row('baseline', baseline));
    console.log(row('pipeline', pipeline));
    console.log(
      `ratio: ${(rate(pipeline) / rate(baseline)).toFixed(2)}x baseline rows/s (goal >= 0.5; ` +
        `rounds ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}x), ` +
        `peak RSS ${pipeline.maxRssMb.toFixed(0)} MB (goal < 200 MB)`,
    );
    if (before) {
      const earlier = medianOf(befores);
      const beforeRatios = befores.map((m, i) => rate(m) / rate(baselines[i]));
      console.log(row('before', earlier));
      console.log(
        `before: ${(rate(earlier) / rate(baseline)).toFixed(2)}x baseline rows/s (rounds ` +
          `${Math.min(...beforeRatios).toFixed(2)}-${Math.max(...beforeRatios).toFixed(2)}x); ` +
          `now/before ${(rate(pipeline) / rate(earlier)).toFixed(2)}x; peak RSS ${earlier.maxRssMb.toFixed(0)} MB`,
      );
    }
    console.log(`node flags: pipeline ${PIPELINE_NODE_FLAGS.join(' ')}, baseline node's defaults`);
    const result = pipelines[0];
    console.log(
      `pipeline result: ${result.successful} successful, ${result.failed} failed, ` +
        `${result.duplicates} duplicates, ${result.ambiguousDates} ambiguous dates, ` +
        `${result.membershipCollisions} membership id collisions`,
    );
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
