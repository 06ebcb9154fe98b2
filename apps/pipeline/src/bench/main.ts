import { spawn } from 'node:child_process';
import { link, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { intVar, loadEnv } from '@des/shared';
import { createTestDatabase, startTestServer } from '@des/shared/testing';
import { z } from 'zod';
import { generateBatches } from '../generator/batch-generator';

interface Measurement {
  rows: number;
  /** Wall time of the whole process, start-up included, as a user sees a CLI run. */
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

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** Runs a script with no node flags; its last stdout line is its JSON result. */
function measure(
  /** Relative to this folder, or absolute. */
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const path = isAbsolute(script) ? script : join(__dirname, script);
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [path, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) return reject(new Error(`${script} exited with ${code}`));
      const result = JSON.parse(out.trim().split('\n').pop()!) as Measurement;
      resolve({ ...result, seconds });
    });
  });
}

/**
 * One generated file of BENCH_ROWS (default 1,000,000) rows, end to end through the pipeline
 * as a plain CLI run (no node flags: the run's heap limits are in the code), next to two
 * baselines on the same file: the floor (the pipeline's tokenizer splits records and fields,
 * the bytes are written back) and the read+write baseline (csv-parse reads, csv-stringify
 * writes). Each side is its own process, timed from start to exit, so peak RSS is its own.
 * The sides alternate for BENCH_ROUNDS rounds (default 3), each pipeline round on a fresh
 * database, and the medians are compared: on a shared machine one round can be seconds off.
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
    const megabytes = size / 1e6;
    console.log(`${file}: ${megabytes.toFixed(1)} MB`);

    const rate = (m: Measurement) => m.rows / m.seconds;
    const row = (name: string, m: Measurement) =>
      `${name.padEnd(9)} ${m.seconds.toFixed(2).padStart(7)} s ${String(Math.round(rate(m))).padStart(8)} rows/s ` +
      `${(megabytes / m.seconds).toFixed(1).padStart(5)} MB/s ${m.maxRssMb.toFixed(0).padStart(5)} MB peak RSS`;
    const sides = new Map<string, Measurement[]>();
    const record = (name: string, m: Measurement) => {
      sides.set(name, [...(sides.get(name) ?? []), m]);
      console.log(`  ${row(name, m)}`);
    };
    /** One whole pipeline run of `script` on a fresh data folder and database. */
    const runPipeline = async (script: string, name: string): Promise<Measurement> => {
      const dataDir = join(dir, name);
      await mkdir(join(dataDir, 'incoming'), { recursive: true });
      await link(file, join(dataDir, 'incoming', basename(file)));
      const database = await createTestDatabase(`pipeline_bench_${name.replace(/-/g, '_')}`);
      try {
        return await measure(script, [], {
          ...process.env,
          DATABASE_URL: database.url,
          PIPELINE_DATA_DIR: dataDir,
          PIPELINE_CRON: 'off',
          // The file is complete: no quiet period to wait out.
          PIPELINE_QUIET_SECONDS: '0',
        });
      } finally {
        await database.drop();
        await rm(dataDir, { recursive: true, force: true });
      }
    };
    const before = BENCH_BEFORE && join(resolve(BENCH_BEFORE), 'bench', 'pipeline-run.js');
    const copy = join(dir, 'copy.csv');
    for (let round = 1; round <= BENCH_ROUNDS; round++) {
      console.log(`round ${round} (load average ${loadavg()[0].toFixed(1)}):`);
      record('floor', await measure('floor.js', [file, copy], process.env));
      record('baseline', await measure('baseline.js', [file, copy], process.env));
      // Which of before and now goes first alternates between rounds.
      if (before && round % 2 === 0) record('before', await runPipeline(before, `before-${round}`));
      record('pipeline', await runPipeline('pipeline-run.js', `round-${round}`));
      if (before && round % 2 === 1) record('before', await runPipeline(before, `before-${round}`));
    }

    const medianOf = (runs: Measurement[]): Measurement => ({
      rows: runs[0].rows,
      seconds: median(runs.map((m) => m.seconds)),
      maxRssMb: Math.max(...runs.map((m) => m.maxRssMb)),
    });
    console.log(`median of ${BENCH_ROUNDS} round(s), highest peak RSS:`);
    const medians = new Map([...sides].map(([name, runs]) => [name, medianOf(runs)]));
    for (const [name, m] of medians) console.log(row(name, m));
    const pipeline = medians.get('pipeline')!;
    const ratio = (name: string) => (medians.get(name)!.seconds / pipeline.seconds).toFixed(2);
    console.log(
      `time ratios (side/pipeline): floor ${ratio('floor')}, baseline ${ratio('baseline')}` +
        (before ? `, before ${ratio('before')}` : '') +
        `; pipeline peak RSS ${pipeline.maxRssMb.toFixed(0)} MB (goal < 200 MB)`,
    );
    console.log('every side ran with no node flags; times are whole processes, start-up included');
    const result = sides.get('pipeline')![0];
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
