import { resolve } from 'node:path';
import { baseEnvSchema, databaseUrlVar, findRepoRoot, intVar, loadEnv, portVar } from '@des/shared';
import { z } from 'zod';

export const salesDbEnvSchema = baseEnvSchema.extend({
  PORT: portVar(3002),
  HOST: z.string().default('127.0.0.1'),
  /** The reports answer thousands of requests a second: their log lines go out in batches. */
  LOG_FLUSH_MS: intVar(250, 0, 10_000),
  /**
   * Login the API's request pool uses. Unset: the app's own least-privilege login
   * (`sales_<database>_api`, a member of the app role only), created at start-up. Either way
   * every request runs under SET LOCAL ROLE, never with the login's own rights.
   */
  SALES_API_DATABASE_URL: databaseUrlVar,
  /**
   * How long a verified Basic credential is kept; one in use is refreshed after 80% of it (the
   * stored hash read again, scrypt only if it changed).
   */
  SALES_AUTH_CACHE_SECONDS: intVar(30, 0, 3600),
  /** Failed logins per user name, or per client address, within the window before 429. */
  SALES_AUTH_MAX_FAILURES: intVar(10, 1, 1_000_000),
  SALES_AUTH_FAILURE_WINDOW_SECONDS: intVar(300, 1, 86_400),
  /** Request pool: connections, and how long a request may wait for one before 503. */
  SALES_DB_POOL_SIZE: intVar(10, 1, 200),
  SALES_DB_POOL_WAIT_MS: intVar(2000, 1, 600_000),
  /**
   * How long an idle request connection is kept (0 = as long as the app runs). pg's own default
   * of 10 s closed the whole pool in any quiet spell, and the next burst waited 200-300 ms for
   * ten new backends to start and warm their caches.
   */
  SALES_DB_POOL_IDLE_SECONDS: intVar(600, 0, 86_400),
  /** Per API connection: statement_timeout, lock_timeout, idle_in_transaction_session_timeout. */
  SALES_DB_STATEMENT_TIMEOUT_MS: intVar(5000, 1, 3_600_000),
  SALES_DB_LOCK_TIMEOUT_MS: intVar(2000, 1, 3_600_000),
  SALES_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: intVar(5000, 1, 3_600_000),
  /** The pipeline's successful-output folder (its default), imported on demo start when present. */
  SALES_MEMBERS_DIR: z
    .string()
    .default('data/applications/successful')
    .transform((path) => resolve(findRepoRoot(), path)),
  /** With DEMO_DATA, how often SALES_MEMBERS_DIR is imported again (0 = only at start). */
  SALES_MEMBERS_POLL_SECONDS: intVar(60, 0, 86_400),
  /**
   * One API login per team, created on the first demo start, printed once and written to
   * SALES_DEMO_LOGINS_FILE (mode 0600). `auto`: only with DEMO_DATA on the embedded database
   * (no DATABASE_URL), never in production.
   */
  SALES_DEMO_LOGINS: z.enum(['auto', 'true', 'false']).default('auto'),
  SALES_DEMO_LOGINS_FILE: z
    .string()
    .default('.data/sales-db-demo-logins.txt')
    .transform((path) => resolve(findRepoRoot(), path)),
  /** Transactions generated for the demo on first start. */
  SALES_DEMO_TRANSACTIONS: intVar(500, 0, 1_000_000),
});

export type SalesDbConfig = z.infer<typeof salesDbEnvSchema>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): SalesDbConfig =>
  loadEnv(salesDbEnvSchema, env);
