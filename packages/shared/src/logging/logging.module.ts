import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';

export interface LoggingOptions {
  app: string;
  level: string;
  /** Request paths not logged per request (health probes, very hot routes). */
  quietPaths?: RegExp[];
}

const REQUEST_ID = /^[\w.-]{1,128}$/;

/** Correlation id of a request: the caller's `X-Request-Id` when sane, otherwise a new UUID. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

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
            autoLogging: { ignore: (req) => quiet.some((path) => path.test(req.url ?? '')) },
          },
        }),
      ],
    };
  }
}
