import { z } from 'zod';

/** Thrown when the environment does not satisfy an app's schema; the message names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads the environment once through a zod object schema. Every missing or malformed
 * variable is reported in one error, so a misconfigured deployment is fixed in one go.
 */
export function loadEnv<S extends z.ZodObject>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  // Empty strings count as unset: `FOO=` in a compose file means "use the default".
  const input = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.join('.') || '(environment)';
    const raw = env[variable];
    const got = raw === undefined ? 'it is not set' : `got ${JSON.stringify(raw)}`;
    return `${variable}: ${issue.message} (${got})`;
  });
  throw new ConfigError(problems);
}

/** A TCP port, e.g. `PORT=3001`. */
export const portVar = (defaultPort: number) =>
  z.coerce
    .number({ error: 'must be a port number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .default(defaultPort);

/** A whole number within bounds, e.g. a batch size. */
export const intVar = (defaultValue: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(defaultValue);

/** `true/false/1/0/yes/no`; anything else is an error rather than silently false. */
export const boolVar = (defaultValue: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], {
      error: 'must be one of true, false, 1, 0, yes, no',
    })
    .transform((value) => ['true', '1', 'yes'].includes(value))
    .default(defaultValue);

/** A PostgreSQL connection URL; optional because an embedded server is started when it is absent. */
export const databaseUrlVar = z
  .string()
  .refine(isPostgresUrl, 'must be a URL like postgres://user:password@host:5432/database')
  .optional();

function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      ['postgres:', 'postgresql:'].includes(url.protocol) &&
      url.hostname !== '' &&
      url.pathname.length > 1
    );
  } catch {
    return false;
  }
}

/** Variables every app reads. */
export const baseEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * 0: each log line is written to stdout as it is logged. N: lines are gathered (up to 4 KB) and
   * written at least every N ms and at exit, one write for many lines (a hot API's log writes
   * cost as much CPU as its answers). A process killed with SIGKILL loses up to N ms of lines.
   */
  LOG_FLUSH_MS: intVar(0, 0, 10_000),
  DATABASE_URL: databaseUrlVar,
  /** Load the app's demo data on first start (npm start sets it; production leaves it off). */
  DEMO_DATA: boolVar(false),
});

export type BaseEnv = z.infer<typeof baseEnvSchema>;
