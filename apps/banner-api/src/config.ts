import { cpus } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { baseEnvSchema, findRepoRoot, intVar, loadEnv, portVar } from '@des/shared';
import { z } from 'zod';

const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

export const bannerApiEnvSchema = baseEnvSchema.extend({
  PORT: portVar(3004),
  HOST: z.string().default('127.0.0.1'),
  /**
   * Key of the HMAC that signs the visitor cookie and hashes the IP + User-Agent fallback key.
   * Replicas must share it. Required in production; otherwise generated once into .data/.
   */
  BANNER_COOKIE_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /**
   * Bearer token(s) for every write: `<token>` or `name=token,name2=token2` (the name is recorded
   * as who imported). Required in production; otherwise generated once into .data/ and printed.
   */
  BANNER_IMPORT_TOKEN: z
    .string()
    .regex(
      /^([\w.-]+=)?[\x21-\x2b\x2d-\x3c\x3e-\x7e]{16,}(,[\w.-]+=[\x21-\x2b\x2d-\x3c\x3e-\x7e]{16,})*$/,
      'must be a token of at least 16 printable characters, or name=token pairs separated by commas',
    )
    .optional(),
  /** `lax` (default) or `none` for banners inside cross-site ad iframes (adds `Secure`: HTTPS only). */
  BANNER_COOKIE_SAMESITE: z.enum(['lax', 'strict', 'none']).default('lax'),
  /** Time zone deciding the quarter of the hour (IANA name); UTC so replicas agree wherever they run. */
  BANNER_TIME_ZONE: z
    .string()
    .refine(isTimeZone, 'must be an IANA time zone such as UTC or Asia/Kolkata')
    .default('UTC'),
  /** For tests and demos only: serve this quarter (1-4) whatever the time. */
  BANNER_FIXED_QUARTER: z.coerce
    .number({ error: 'must be 1, 2, 3 or 4' })
    .int('must be 1, 2, 3 or 4')
    .min(1, 'must be 1, 2, 3 or 4')
    .max(4, 'must be 1, 2, 3 or 4')
    .optional(),
  /** Processes serving the port (node:cluster); default: the number of cores in production, 1 otherwise. */
  BANNER_WORKERS: intVar(0, 0, 64),
  /** Where `generate` writes, and `npm start` imports, the demo CSVs. */
  BANNER_DEMO_DIR: z
    .string()
    .default(join(findRepoRoot(), '.data', 'banner-api', 'demo'))
    .transform((dir) => (isAbsolute(dir) ? dir : join(process.cwd(), dir))),
  /** Largest CSV file accepted by POST /imports, in megabytes (413 above it, naming the limit). */
  BANNER_MAX_UPLOAD_MB: intVar(100, 1, 2048),
  /** Largest creative image, in kilobytes. */
  BANNER_MAX_CREATIVE_KB: intVar(512, 1, 10240),
  /** Heap cap of the import thread: the bound of an import's memory whatever the file size. */
  BANNER_IMPORT_HEAP_MB: intVar(64, 16, 4096),
});

export type BannerApiConfig = z.infer<typeof bannerApiEnvSchema>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): BannerApiConfig =>
  loadEnv(bannerApiEnvSchema, env);

/** BANNER_WORKERS, with 0 meaning the default for the environment. */
export const workerCount = (config: BannerApiConfig): number =>
  config.BANNER_WORKERS || (config.NODE_ENV === 'production' ? cpus().length : 1);
