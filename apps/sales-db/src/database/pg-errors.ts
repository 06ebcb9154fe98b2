import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  HttpException,
  UnauthorizedException,
} from '@nestjs/common';
import { DatabaseError } from 'pg';
import { SalesUser } from '../auth/teams';

/**
 * Turns PostgreSQL's refusals into HTTP answers. The database is the enforcer: a team lacking a
 * privilege gets `permission denied` from PostgreSQL, answered here as 403 naming the action.
 */
export function httpErrorFor(error: unknown, user: SalesUser, action: string): unknown {
  if (!(error instanceof DatabaseError)) return error;
  switch (error.code) {
    case '42501':
      return new ForbiddenException({
        error: 'Forbidden',
        message: `The ${user.team} team may not ${action} (PostgreSQL: ${error.message})`,
        action,
        team: user.team,
      });
    case '22023': // SET ROLE: the user's role was removed after its credentials were cached
    case '42704':
      return /role .* does not exist/.test(error.message)
        ? new UnauthorizedException(`User ${user.name} no longer exists`)
        : new BadRequestException(`Cannot ${action}: ${error.message}`);
    case '23505':
    case '23503':
    case '23514':
      return new ConflictException({
        error: 'Conflict',
        message: `Cannot ${action}: ${error.detail ?? error.message}`,
        action,
      });
    case '22P02':
    case '22003':
    case '22007':
    case '22008':
      return new BadRequestException(`Cannot ${action}: ${error.message}`);
    default:
      return error;
  }
}

export const isHttpError = (error: unknown): error is HttpException =>
  error instanceof HttpException;
