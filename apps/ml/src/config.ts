import { join, resolve } from 'node:path';
import { baseEnvSchema, findRepoRoot, intVar, loadEnv, portVar } from '@des/shared';
import { z } from 'zod';

/** apps/ml, found from this file (dist/config.js) so any working directory works. */
export const APP_ROOT = resolve(__dirname, '..');

export const mlEnvSchema = baseEnvSchema.extend({
  PORT: portVar(3005),
  HOST: z.string().default('127.0.0.1'),
  /** The committed model written by `npm run train`. */
  ML_MODEL_DIR: z.string().default(join(APP_ROOT, 'model')),
  /** Where the service writes a model it had to train itself (when ML_MODEL_DIR holds none). */
  ML_FALLBACK_MODEL_DIR: z.string().default(join(findRepoRoot(), '.data', 'ml', 'model')),
  ML_DATA_FILE: z.string().default(join(APP_ROOT, 'data', 'car.data')),
  /**
   * Session timeouts of every connection of the service (migrations, /health): a locked or stuck
   * database makes a statement fail after this long instead of hanging.
   */
  ML_DB_STATEMENT_TIMEOUT_MS: intVar(5000, 1, 3_600_000),
  ML_DB_LOCK_TIMEOUT_MS: intVar(2000, 1, 3_600_000),
  ML_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: intVar(5000, 1, 3_600_000),
  /** Seed of a model trained at start-up. */
  ML_SEED: intVar(20260, 0, 2 ** 31 - 1),
});

export type MlConfig = z.infer<typeof mlEnvSchema>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): MlConfig =>
  loadEnv(mlEnvSchema, env);
