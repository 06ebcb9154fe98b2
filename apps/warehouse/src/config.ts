import { isAbsolute, resolve } from 'node:path';
import { baseEnvSchema, databaseUrlVar, findRepoRoot, loadEnv, portVar } from '@des/shared';
import { validateCronExpression } from 'cron';
import { z } from 'zod';

/** apps/warehouse, found from this file (dist/config.js) so any working directory works. */
export const APP_ROOT = resolve(__dirname, '..');

/** A cron expression (server time zone) or `off`. */
export const cronVar = (defaultValue: string) =>
  z
    .string()
    .default(defaultValue)
    .refine(
      (value) => value === 'off' || validateCronExpression(value).valid,
      'must be a cron expression such as "30 2 * * *", or "off"',
    );

/** A folder; relative paths are read against the repo root, not the working directory. */
const folderVar = (defaultValue: string) =>
  z
    .string()
    .default(defaultValue)
    .transform((path) => (isAbsolute(path) ? path : resolve(findRepoRoot(), path)));

/** A comma-separated list of plain words (the checks put them in SQL literals). */
const wordListVar = (defaultValue: string, word: RegExp, example: string) =>
  z
    .string()
    .default(defaultValue)
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    )
    .refine(
      (items) => items.length > 0 && items.every((item) => word.test(item)),
      `must be a comma-separated list such as "${example}"`,
    );

export const warehouseEnvSchema = baseEnvSchema.extend({
  PORT: portVar(3006),
  HOST: z.string().default('127.0.0.1'),
  /** Deliveries arrive in `<WAREHOUSE_SOURCE_DIR>/<job folder>/<YYYYMMDD>/`. */
  WAREHOUSE_SOURCE_DIR: folderVar('data/warehouse'),
  /**
   * Login the loads use (the least-privilege `warehouse_loader`, possibly with
   * `sslmode=verify-full&sslrootcert=...`). Unset: the DATABASE_URL login, which switches to the
   * `warehouse_load` role for every load, so PostgreSQL enforces the same privileges.
   */
  WAREHOUSE_LOAD_DATABASE_URL: databaseUrlVar,
  /**
   * A file holding the load login's password (e.g. a mounted secret), so that neither the URL nor
   * the environment carries it. Read at each load.
   */
  WAREHOUSE_LOAD_PASSWORD_FILE: z.string().optional(),
  /**
   * work_mem and maintenance_work_mem of a load's transaction: the night's primary key is built by
   * sorting the stage (maintenance_work_mem; at the 64MB default 1M rows build ~12 % slower), and
   * the duplicate-key count of a failed key check sorts it too (work_mem, 4MB by default).
   */
  WAREHOUSE_LOAD_WORK_MEM: z
    .string()
    .default('256MB')
    .refine((value) => /^\d{1,6}(kB|MB|GB)$/.test(value), 'must be a size such as 64MB'),
  /** The nightly supplier load (default 02:30 every night). */
  WAREHOUSE_SUPPLIER_CRON: cronVar('30 2 * * *'),
  /** Scale factor of the demo night generated on first start with DEMO_DATA (0.1 = 1,000 rows). */
  WAREHOUSE_DEMO_SCALE: z.coerce
    .number({ error: 'must be a number' })
    .positive('must be above 0')
    .max(10, 'must be at most 10 (100,000 rows)')
    .default(0.1),
  /** The weekly organic-share job (default Monday 05:00). */
  WAREHOUSE_ORGANIC_SHARE_CRON: cronVar('0 5 * * 1'),
  /** Countries a marketing delivery may hold (besides the `ALL` aggregate): a data-quality gate. */
  WAREHOUSE_MARKETING_COUNTRIES: wordListVar(
    'GB,IT,FR,DE,ES,NL,BE,IE,PT,AT,CH,SE,DK,NO,FI,PL',
    /^[A-Z]{2,3}$/,
    'GB,IT,FR',
  ),
  /** OS names a marketing delivery may hold (besides the `all` aggregate). */
  WAREHOUSE_MARKETING_OS_NAMES: wordListVar(
    'ios,android',
    /^[a-z][a-z0-9_-]{0,30}$/,
    'ios,android',
  ),
});

export type WarehouseConfig = z.infer<typeof warehouseEnvSchema>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): WarehouseConfig =>
  loadEnv(warehouseEnvSchema, env);
