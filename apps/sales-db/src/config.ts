import { resolve } from 'node:path';
import { baseEnvSchema, databaseUrlVar, findRepoRoot, intVar, loadEnv, portVar } from '@des/shared';
import { z } from 'zod';

export const salesDbEnvSchema = baseEnvSchema.extend({
  PORT: portVar(3002),
  HOST: z.string().default('127.0.0.1'),
  /**
   * Login the API's request pool uses. Unset: the DATABASE_URL login (which runs migrations).
   * Either way every request runs under SET LOCAL ROLE, never with the login's own rights.
   */
  SALES_API_DATABASE_URL: databaseUrlVar,
  /** How long a verified Basic credential is trusted before its scrypt hash is checked again. */
  SALES_AUTH_CACHE_SECONDS: intVar(30, 0, 3600),
  /** The pipeline's successful-output folder (its default), imported on demo start when present. */
  SALES_MEMBERS_DIR: z
    .string()
    .default('data/applications/successful')
    .transform((path) => resolve(findRepoRoot(), path)),
  /** With DEMO_DATA, how often SALES_MEMBERS_DIR is imported again (0 = only at start). */
  SALES_MEMBERS_POLL_SECONDS: intVar(60, 0, 86_400),
  /** Transactions generated for the demo on first start. */
  SALES_DEMO_TRANSACTIONS: intVar(500, 0, 1_000_000),
});

export type SalesDbConfig = z.infer<typeof salesDbEnvSchema>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): SalesDbConfig =>
  loadEnv(salesDbEnvSchema, env);
