import { isAbsolute, join } from 'node:path';
import { baseEnvSchema, findRepoRoot, intVar, loadEnv, portVar } from '@des/shared';
import { z } from 'zod';

export const bannerApiEnvSchema = baseEnvSchema.extend({
  PORT: portVar(3004),
  HOST: z.string().default('127.0.0.1'),
  /**
   * Key of the HMAC that signs the "last banner served" cookie. Replicas behind one load balancer
   * must share it; when unset each process draws its own (cookies then only verify on that process).
   */
  BANNER_COOKIE_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Where `generate` writes, and `npm start` imports, the demo CSVs. */
  BANNER_DEMO_DIR: z
    .string()
    .default(join(findRepoRoot(), '.data', 'banner-api', 'demo'))
    .transform((dir) => (isAbsolute(dir) ? dir : join(process.cwd(), dir))),
  /** Largest CSV accepted by POST /imports, in megabytes. */
  BANNER_MAX_UPLOAD_MB: intVar(100, 1, 2048),
});

export type BannerApiConfig = z.infer<typeof bannerApiEnvSchema>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): BannerApiConfig =>
  loadEnv(bannerApiEnvSchema, env);
