import { badRequestFromDatabaseError } from '@des/shared';
import {
  ConflictException,
  ForbiddenException,
  HttpException,
  HttpStatus,
  Logger,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { DatabaseError } from 'pg';
import { SalesUser } from '../auth/teams';

const logger = new Logger('DatabaseErrors');

/** 503 "the database is busy", with the seconds after which a retry is worth it (Retry-After). */
export class DatabaseBusyException extends ServiceUnavailableException {
  constructor(
    reason: string,
    readonly retryAfterSeconds: number,
  ) {
    super({
      error: 'Service Unavailable',
      message: `The database is busy (${reason}); retry in ${retryAfterSeconds} s`,
      retryAfterSeconds,
    });
  }
}

/** 429 after too many failed logins, with the seconds until the next attempt is accepted. */
export class TooManyAttemptsException extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super(
      {
        error: 'Too Many Requests',
        message: `Too many failed logins; retry in ${retryAfterSeconds} s`,
        retryAfterSeconds,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/** The Retry-After seconds an error carries (503 busy, 429 throttled), if any. */
export const retryAfterOf = (error: unknown): number | undefined =>
  error instanceof DatabaseBusyException || error instanceof TooManyAttemptsException
    ? error.retryAfterSeconds
    : undefined;

/** pg-pool's error when no connection became free within connectionTimeoutMillis. */
export const isPoolTimeout = (error: unknown): boolean =>
  error instanceof Error && /timeout exceeded when trying to connect/i.test(error.message);

/**
 * Turns PostgreSQL's refusals into HTTP answers in our own words; the server's message goes to
 * the log only. The database is the enforcer: a team lacking a privilege gets `permission
 * denied` from PostgreSQL, answered here as 403 naming the action.
 */
export function httpErrorFor(
  error: unknown,
  user: SalesUser | undefined,
  action: string,
  retryAfterSeconds: number,
): unknown {
  if (isPoolTimeout(error)) {
    return new DatabaseBusyException('all database connections are busy', retryAfterSeconds);
  }
  if (!(error instanceof DatabaseError)) return error;
  logger.debug({ code: error.code, detail: error.message, action }, 'database refused');
  switch (error.code) {
    case '42501':
      return new ForbiddenException({
        error: 'Forbidden',
        message: `The ${user?.team} team may not ${action}: permission denied by the database's grants`,
        action,
        team: user?.team,
      });
    case '28P01': // sales.require_credential: the cached credential is no longer the stored one
      return new UnauthorizedException(`The credentials of ${user?.name} changed or were removed`);
    case '22023': // SET ROLE: the user's role was removed after its credentials were cached
    case '42704':
      return new UnauthorizedException(`User ${user?.name} no longer exists`);
    case '57014': // statement_timeout
      return new DatabaseBusyException('the query took too long', retryAfterSeconds);
    case '55P03': // lock_timeout
      return new DatabaseBusyException('the data is locked by other work', retryAfterSeconds);
    case '25P03': // idle_in_transaction_session_timeout
      return new DatabaseBusyException('the transaction was idle too long', retryAfterSeconds);
    case '23505':
    case '23503':
    case '23514':
      return new ConflictException({
        error: 'Conflict',
        message: `Cannot ${action}: ${conflictReason(error)}`,
        action,
      });
    default:
      // Data errors (out of range, invalid text, NUL, bad dates) are the caller's input.
      return badRequestFromDatabaseError(error) ?? error;
  }
}

/** Our triggers raise messages we wrote; a constraint is named, never quoted with its values. */
function conflictReason(error: DatabaseError): string {
  if (!error.constraint) return error.message;
  if (error.code === '23505') return `it would duplicate an existing row (${error.constraint})`;
  if (error.code === '23503')
    return `a referenced row is missing or still in use (${error.constraint})`;
  return `it breaks the rule ${error.constraint}`;
}
