import { join } from 'node:path';
import { baseEnvSchema, intVar, loadEnv, portVar } from '@des/shared';
import { z } from 'zod';

/** The app folder (dist/.. at run time), where the shipped snapshot and built assets live. */
export const APP_ROOT = join(__dirname, '..');

export const dashboardEnvSchema = baseEnvSchema.extend({
  PORT: portVar(3003),
  HOST: z.string().default('127.0.0.1'),
  /** Folder of the shipped JHU CSSE files (two global series, lookup table) loaded at start. */
  COVID_SNAPSHOT_DIR: z.string().default(join(APP_ROOT, 'data')),
  /** Optional live source in the covid19api.com format; unset means offline (snapshot only). */
  COVID_API_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL like http://host:port' })
    .optional(),
  /** How often the live source is fetched (default: daily; at most ~24 days, a timer's limit). */
  COVID_REFRESH_INTERVAL_MINUTES: intVar(1440, 1, 35_000),
  /** Time limit of one live request, including reading its body. */
  COVID_API_TIMEOUT_MS: intVar(15_000, 100, 600_000),
  /** Further attempts after a failed live request (network error, timeout, 429 or 5xx). */
  COVID_API_RETRIES: intVar(2, 0, 10),
  /** Wait before the first retry; doubles on each further one. */
  COVID_API_RETRY_DELAY_MS: intVar(2_000, 0, 600_000),
});

export type DashboardConfig = z.infer<typeof dashboardEnvSchema>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): DashboardConfig =>
  loadEnv(dashboardEnvSchema, env);
