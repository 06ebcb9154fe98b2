import {
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { AuthService } from './auth.service';
import { SalesUser } from './teams';

interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  salesUser?: SalesUser;
}

/** Every API request authenticates as one of the database users (HTTP Basic). */
@Injectable()
export class BasicAuthGuard implements CanActivate {
  constructor(private readonly auth: AuthService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const match = /^Basic\s+(\S+)$/i.exec(String(request.headers.authorization ?? ''));
    const decoded = match ? Buffer.from(match[1], 'base64').toString('utf8') : '';
    const separator = decoded.indexOf(':');
    if (separator < 1) {
      http
        .getResponse<{ setHeader(name: string, value: string): void }>()
        .setHeader('WWW-Authenticate', 'Basic realm="sales-db"');
      throw new UnauthorizedException('HTTP Basic credentials of a sales-db user are required');
    }
    request.salesUser = await this.auth.authenticate(
      decoded.slice(0, separator),
      decoded.slice(separator + 1),
    );
    return true;
  }
}

/** The authenticated caller, set by BasicAuthGuard. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): SalesUser =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().salesUser!,
);
