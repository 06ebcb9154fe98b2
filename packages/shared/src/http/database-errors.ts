import { BadRequestException } from '@nestjs/common';

/** What PostgreSQL says about a failed statement (pg's DatabaseError, also on TypeORM's QueryFailedError). */
interface PostgresError {
  code: string;
  message: string;
  column?: string;
}

/** Our words for the data errors (SQLSTATE class 22, plus values too large to index) a client's input can cause. */
const PROBLEMS: Record<string, string> = {
  '22021': 'contains a character that cannot be stored (such as NUL, \\u0000)',
  '22P05': 'contains a character that cannot be stored (such as NUL, \\u0000)',
  '22003': 'is a number outside the range that can be stored',
  '22P02': 'is not written the way this value must be (for example a whole number)',
  '22007': 'is not a valid date or time',
  '22008': 'is a date or time outside the range that can be stored',
  '22001': 'is longer than can be stored',
  '54000': 'is too large to be stored',
};
const OTHER_DATA_PROBLEM = 'is not a value that can be stored';

/** The PostgreSQL error inside `error` (TypeORM wraps pg's as `driverError`), if it is one. */
function postgresErrorOf(error: unknown): PostgresError | undefined {
  const candidate = (error as { driverError?: unknown })?.driverError ?? error;
  const code = (candidate as { code?: unknown })?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)
    ? (candidate as PostgresError)
    : undefined;
}

/**
 * A 400 in our words for a PostgreSQL error caused by the client's input (bad text, number, date,
 * a value too large), naming the field when the server says which column; `undefined` for any
 * other error. The server's own message is never shown to the client: log it.
 *
 * `field` names the input when the caller knows which one the statement was about.
 */
export function badRequestFromDatabaseError(
  error: unknown,
  field?: string,
): BadRequestException | undefined {
  const pg = postgresErrorOf(error);
  if (!pg || !(pg.code.startsWith('22') || pg.code === '54000')) return undefined;
  const problem = PROBLEMS[pg.code] ?? OTHER_DATA_PROBLEM;
  const name = field ?? pg.column;
  return new BadRequestException({
    message: name ? `${name}: ${problem}` : `A value given ${problem}`,
    ...(name ? { errors: [{ field: name, problems: [problem] }] } : {}),
  });
}

/** The server's message and code, for the log line that goes with a mapped error. */
export function databaseErrorDetails(
  error: unknown,
): { code: string; message: string } | undefined {
  const pg = postgresErrorOf(error);
  return pg && { code: pg.code, message: pg.message };
}
