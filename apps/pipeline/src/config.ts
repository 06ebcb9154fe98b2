import { isAbsolute, join, resolve } from 'node:path';
import { baseEnvSchema, findRepoRoot, intVar, loadEnv, portVar } from '@des/shared';
import { validateCronExpression } from 'cron';
import { z } from 'zod';
import { parseIsoDate } from './applications/birthday';

const optionalPath = z.string().optional();

export const pipelineEnvSchema = baseEnvSchema.extend({
  PORT: portVar(3001),
  HOST: z.string().default('127.0.0.1'),
  /** Parent of every folder below unless that folder is set itself; relative to the repo root. */
  PIPELINE_DATA_DIR: z.string().default('data/applications'),
  PIPELINE_INCOMING_DIR: optionalPath,
  PIPELINE_PROCESSED_DIR: optionalPath,
  PIPELINE_REJECTED_DIR: optionalPath,
  PIPELINE_SUCCESSFUL_DIR: optionalPath,
  PIPELINE_FAILED_DIR: optionalPath,
  PIPELINE_WORK_DIR: optionalPath,
  PIPELINE_CRON: z
    .string()
    .default('0 * * * *')
    .refine(
      (value) => value === 'off' || validateCronExpression(value).valid,
      'must be a cron expression such as "0 * * * *", or "off"',
    ),
  PIPELINE_REFERENCE_DATE: z
    .string()
    .default('2022-01-01')
    .refine((value) => parseIsoDate(value) !== undefined, 'must be a date as YYYY-MM-DD'),
  PIPELINE_MIN_AGE: intVar(18, 0, 150),
  PIPELINE_EMAIL_ENDINGS: z
    .string()
    .default('.com,.net')
    .transform((value) => value.split(',').map((ending) => ending.trim().toLowerCase()))
    .refine(
      (endings) => endings.every((ending) => /^[.@][a-z0-9.-]+$/.test(ending)),
      'must be a comma-separated list of endings each starting with "." or "@", e.g. ".com,.net"',
    ),
  /**
   * Slots of the in-memory duplicate table (12 bytes each, a power of two); when it is full,
   * fingerprint partitions go to the work folder. Small values exercise that path in tests.
   */
  PIPELINE_DUPLICATE_SLOTS: intVar(1 << 21, 16, 1 << 26).refine(
    (value) => (value & (value - 1)) === 0,
    'must be a power of two, e.g. 2097152',
  ),
  /**
   * A file is taken only when its size and mtime have not changed for this long (checked before
   * and after reading); 0 turns the wait off (producers that write elsewhere and rename).
   */
  PIPELINE_QUIET_SECONDS: intVar(5, 0, 3600),
  /**
   * Successful applications remembered as emitted (8 bytes each in PostgreSQL, 16 in a run's
   * memory), so re-sent ones are not emitted again; the oldest runs' are forgotten first.
   */
  PIPELINE_EMITTED_LIMIT: intVar(1_000_000, 0, 50_000_000),
  /**
   * Percent of a file's unambiguous `NN/NN/YYYY` (or `NN-NN-YYYY`) dates that must agree for
   * their field order to be taken; the others fail as contradicting it.
   */
  PIPELINE_DATE_ORDER_SHARE: intVar(99, 51, 100),
  PIPELINE_DEMO_FILES: intVar(3, 1, 100),
  PIPELINE_DEMO_ROWS: intVar(2000, 1, 1_000_000),
});

export type PipelineConfig = z.infer<typeof pipelineEnvSchema>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): PipelineConfig =>
  loadEnv(pipelineEnvSchema, env);

export interface PipelinePaths {
  incoming: string;
  processed: string;
  rejected: string;
  successful: string;
  failed: string;
  /** Spill files of runs in progress. */
  work: string;
}

/** The folders, absolute; relative settings are read against the repo root, not the cwd. */
export function pipelinePaths(config: PipelineConfig): PipelinePaths {
  const root = findRepoRoot();
  const absolute = (path: string) => (isAbsolute(path) ? path : resolve(root, path));
  const data = absolute(config.PIPELINE_DATA_DIR);
  const pick = (value: string | undefined, folder: string) =>
    value ? absolute(value) : join(data, folder);
  return {
    incoming: pick(config.PIPELINE_INCOMING_DIR, 'incoming'),
    processed: pick(config.PIPELINE_PROCESSED_DIR, 'processed'),
    rejected: pick(config.PIPELINE_REJECTED_DIR, 'rejected'),
    successful: pick(config.PIPELINE_SUCCESSFUL_DIR, 'successful'),
    failed: pick(config.PIPELINE_FAILED_DIR, 'failed'),
    work: pick(config.PIPELINE_WORK_DIR, '.work'),
  };
}
