import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { DynamicModule, Module } from '@nestjs/common';
import { RouteInfo } from '@nestjs/common/interfaces';
import { LoggerModule } from 'nestjs-pino';

export interface LoggingOptions {
  app: string;
  level: string;
  /** Request paths not logged per request (health probes, very hot routes). */
  quietPaths?: RegExp[];
  /** Routes kept out of the logging middleware altogether (the hottest paths). */
  excludeRoutes?: RouteInfo[];
}

const REQUEST_ID = /^[\w.-]{1,128}$/;

/** Correlation id of a request: the caller's `X-Request-Id` when sane, otherwise a new UUID. */
export function correlationIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** pino-http's request id: the correlation id, echoed to the caller. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const id = correlationIdOf(req);
  res.setHeader('X-Request-Id', id);
  return id;
}

/** Fastify hands middleware the URL with its mount path stripped; the original is what was asked. */
const requestedUrl = (req: IncomingMessage): string =>
  (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '';

/** Structured JSON logs (pino) with the request's correlation id on every line. */
@Module({})
export class LoggingModule {
  static forRoot(options: LoggingOptions): DynamicModule {
    const quiet = [/^\/health/, ...(options.quietPaths ?? [])];
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: options.level,
            base: { app: options.app },
            genReqId: requestId,
            redact: [
              'req.headers.authorization',
              'req.headers.cookie',
              'res.headers["set-cookie"]',
            ],
            autoLogging: { ignore: (req) => quiet.some((path) => path.test(requestedUrl(req))) },
          },
          exclude: options.excludeRoutes,
        }),
      ],
    };
  }
}
