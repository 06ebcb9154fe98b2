import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { isMainThread } from 'node:worker_threads';
import { DynamicModule, Module } from '@nestjs/common';
import { RouteInfo } from '@nestjs/common/interfaces';
import { LoggerModule } from 'nestjs-pino';
import { Options as HttpOptions } from 'pino-http';
import { destination, DestinationStream, levels } from 'pino';

export interface LoggingOptions {
  app: string;
  level: string;
  /** Request paths not logged per request (health probes, very hot routes). */
  quietPaths?: RegExp[];
  /** Routes kept out of the logging middleware altogether (the hottest paths). */
  excludeRoutes?: RouteInfo[];
  /** Where the lines go (stdout unless given; tests read them back). */
  destination?: DestinationStream;
  /** Above 0, lines to stdout are written in batches at least this often (LOG_FLUSH_MS). */
  flushMs?: number;
}

/**
 * stdout gathering lines into one write of up to 4 KB, flushed every `flushMs` and at exit
 * (pino's exit hook, which only the main thread has: a worker keeps writing line by line).
 */
export function batchedStdout(flushMs: number): DestinationStream | undefined {
  if (!isMainThread) return undefined;
  const stdout = destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => {
    try {
      stdout.flush();
    } catch {
      // Ended by pino's exit hook, which wrote everything: nothing is left.
    }
  }, flushMs).unref();
  return stdout;
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

/** Header names never written to a log, at whatever depth of a log line they appear. */
export const SECRET_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie'];

/** pino redaction paths for the secret headers as keys at the top and up to four levels down. */
export const SECRET_PATHS = SECRET_HEADERS.flatMap((name) =>
  ['', '*.', '*.*.', '*.*.*.', '*.*.*.*.'].map((prefix) => `${prefix}["${name}"]`),
);

type LoggedRequest = IncomingMessage & {
  originalUrl?: string;
  route?: { path?: string };
  routeOptions?: { url?: string };
};

/** The route a request matched (`/items/:id`), or its path without the query when none did. */
function routeOf(req: LoggedRequest): string {
  return req.route?.path ?? requestedUrl(req).split('?')[0];
}

/**
 * The one line logged per request: method, route, status, duration, content length (the
 * correlation id is bound to every line of the request); the headers only at debug level.
 */
export function requestLine(
  req: IncomingMessage,
  res: ServerResponse,
  durationMs: number,
  withHeaders: boolean,
): Record<string, unknown> {
  const length = res.getHeader('content-length');
  return {
    method: req.method,
    route: routeOf(req),
    status: res.statusCode,
    durationMs,
    contentLength: length === undefined ? undefined : Number(length),
    ...(withHeaders ? { requestHeaders: req.headers, responseHeaders: res.getHeaders() } : {}),
  };
}

/** Structured JSON logs (pino) with the request's correlation id on every line. */
@Module({})
export class LoggingModule {
  static forRoot(options: LoggingOptions): DynamicModule {
    const quiet = [/^\/health/, ...(options.quietPaths ?? [])];
    const headersToo = (levels.values[options.level] ?? Infinity) <= levels.values.debug;
    const line = (req: IncomingMessage, res: ServerResponse, value: unknown) =>
      requestLine(req, res, (value as { responseTime: number }).responseTime, headersToo);
    const httpOptions: HttpOptions = {
      level: options.level,
      base: { app: options.app },
      genReqId: requestId,
      // Lines carry the correlation id, not the whole request and response.
      quietReqLogger: true,
      quietResLogger: true,
      customAttributeKeys: { reqId: 'correlationId' },
      customSuccessObject: line,
      customErrorObject: (req, res, error, value) => ({
        ...line(req, res, value),
        err: error,
      }),
      customSuccessMessage: (req, res) => `${req.method} ${routeOf(req)} ${res.statusCode}`,
      customErrorMessage: (req, res) => `${req.method} ${routeOf(req)} ${res.statusCode}`,
      redact: { paths: SECRET_PATHS, censor: '[redacted]' },
      autoLogging: { ignore: (req) => quiet.some((path) => path.test(requestedUrl(req))) },
    };
    const output =
      options.destination ?? (options.flushMs ? batchedStdout(options.flushMs) : undefined);
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: output ? [httpOptions, output] : httpOptions,
          exclude: options.excludeRoutes,
        }),
      ],
    };
  }
}
