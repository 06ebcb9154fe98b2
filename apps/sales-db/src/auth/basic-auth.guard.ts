import {
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  HttpException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { retryAfterOf } from '../database/pg-errors';
import { AuthService } from './auth.service';
import { SalesUser } from './teams';

interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  ip?: string;
  socket?: { remoteAddress?: string };
  salesUser?: SalesUser;
}

interface HeaderResponse {
  setHeader(name: string, value: string): void;
}

/** Longer headers cannot hold a 63-character role name and an 24-character password honestly. */
const MAX_HEADER_LENGTH = 1024;
const BASIC = /^Basic ([A-Za-z0-9+/]+={0,2})$/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * `Authorization: Basic base64(user:password)` parsed strictly: anything else (no colon, bad
 * base64, invalid UTF-8, control characters such as NUL, a name no role could have, an
 * oversized header) is a 401 like a wrong password, and never reaches the database.
 */
export function parseBasicAuth(header: unknown): { name: string; password: string } | undefined {
  if (typeof header !== 'string' || header.length > MAX_HEADER_LENGTH) return undefined;
  const match = BASIC.exec(header);
  if (!match || match[1].length % 4 !== 0) return undefined;
  let decoded: string;
  try {
    decoded = utf8.decode(Buffer.from(match[1], 'base64'));
  } catch {
    return undefined;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(decoded)) return undefined;
  const separator = decoded.indexOf(':');
  const name = decoded.slice(0, separator);
  if (separator < 1 || Buffer.byteLength(name) > 63) return undefined;
  return { name, password: decoded.slice(separator + 1) };
}

/** Every API request authenticates as one of the database users (HTTP Basic). */
@Injectable()
export class BasicAuthGuard implements CanActivate {
  constructor(private readonly auth: AuthService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const response = http.getResponse<HeaderResponse>();
    const credentials = parseBasicAuth(request.headers.authorization);
    if (!credentials) {
      response.setHeader('WWW-Authenticate', 'Basic realm="sales-db"');
      throw new UnauthorizedException('HTTP Basic credentials of a sales-db user are required');
    }
    const address = request.ip ?? request.socket?.remoteAddress ?? 'unknown';
    try {
      request.salesUser = await this.auth.authenticate(
        credentials.name,
        credentials.password,
        address,
      );
    } catch (error) {
      const retryAfter = retryAfterOf(error);
      if (retryAfter !== undefined) {
        response.setHeader('Retry-After', String(retryAfter));
      } else if (error instanceof HttpException && error.getStatus() === 401) {
        response.setHeader('WWW-Authenticate', 'Basic realm="sales-db"');
      }
      throw error;
    }
    return true;
  }
}

/** The authenticated caller, set by BasicAuthGuard. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): SalesUser =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().salesUser!,
);
