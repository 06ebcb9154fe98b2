import { createHash, timingSafeEqual } from 'node:crypto';
import {
  applyDecorators,
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorResponseDto } from '../common/error-response.dto';
import { BannerSecrets } from './secrets';

export const BANNER_SECRETS = Symbol('BANNER_SECRETS');

/** The request of an authenticated operator, with the name of the token it used. */
export type OperatorRequest = FastifyRequest & { operator?: string };

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * `Authorization: Bearer <token>` against BANNER_IMPORT_TOKEN. Tokens are compared as SHA-256
 * digests with timingSafeEqual, every configured token each time, so neither the content nor
 * the length of a token leaks through timing. 401 with `WWW-Authenticate: Bearer` otherwise.
 */
@Injectable()
export class ImportTokenGuard implements CanActivate {
  private readonly tokens: Array<[name: string, digest: Buffer]>;

  constructor(@Inject(BANNER_SECRETS) secrets: BannerSecrets) {
    this.tokens = [...secrets.importTokens].map(([name, token]) => [name, digest(token)]);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<OperatorRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer ([^\s]{1,512})$/i.exec(header) : null;
    if (match) {
      const given = digest(match[1]);
      let found: string | undefined;
      for (const [name, expected] of this.tokens)
        if (timingSafeEqual(given, expected)) found = name;
      if (found !== undefined) {
        request.operator = found;
        return true;
      }
    }
    context
      .switchToHttp()
      .getResponse<FastifyReply>()
      .header('www-authenticate', 'Bearer realm="banner-api"');
    throw new UnauthorizedException(
      match
        ? 'The bearer token is not valid for this service'
        : 'This operation needs "Authorization: Bearer <token>" with a token of BANNER_IMPORT_TOKEN',
    );
  }
}

/** Marks an operation as needing the import token, in code and in the OpenAPI docs. */
export const OperatorOnly = () =>
  applyDecorators(
    UseGuards(ImportTokenGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No or wrong bearer token', type: ErrorResponseDto }),
  );
