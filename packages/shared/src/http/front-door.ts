import { IncomingMessage, ServerResponse } from 'node:http';
import {
  BadRequestException,
  CanActivate,
  ExecutionContext,
  INestApplication,
  Injectable,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { correlationIdOf } from '../logging/logging.module';
import { DEFAULT_BODY_LIMIT } from './body-limit.decorator';
import { isJsonContentType, parseJsonBody } from './json-body';
import { RouteFacts, RouteTable, routeTableOf } from './route-table';

type Next = (error?: unknown) => void;
type RequestWithBody = IncomingMessage & { id?: unknown; body?: unknown };

/** The parts of Fastify the front door uses (the shared package does not depend on Fastify). */
interface FastifyLike {
  addHook(
    name: 'onRequest' | 'preValidation',
    hook: (request: FastifyRequestLike, reply: unknown, done: Next) => void,
  ): void;
  addHook(
    name: 'onRoute',
    hook: (route: { method: string | string[]; url: string; bodyLimit?: number }) => void,
  ): void;
}
interface FastifyAdapterLike {
  getInstance(): unknown;
  useBodyParser(
    type: string,
    rawBody: boolean,
    options: { bodyLimit: number },
    parser: (
      request: unknown,
      body: Buffer,
      done: (error: Error | null, value?: unknown) => void,
    ) => void,
  ): void;
}
interface FastifyRequestLike {
  id: string;
  method: string;
  raw: RequestWithBody;
  headers: IncomingMessage['headers'];
  routeOptions: { url?: string };
}

const shorten = (text: string) => (text.length > 80 ? `${text.slice(0, 80)}…` : text);

/** Whether a request carries a body (a `Content-Length: 0` one does not). */
function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return (
    request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
  );
}

function unsupportedMediaType(contentType: string | undefined): UnsupportedMediaTypeException {
  return new UnsupportedMediaTypeException(
    `This route takes a JSON body (Content-Type: application/json); got ${contentType ? `"${shorten(contentType)}"` : 'no Content-Type'}`,
  );
}

function tooLarge(limit: number): PayloadTooLargeException {
  return new PayloadTooLargeException(
    `The body is larger than this route's limit of ${limit} bytes`,
  );
}

/** Reads the rest of a body unread, so that a refusal can be answered on a clean connection. */
function drain(request: IncomingMessage): Promise<void> {
  if (request.readableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    request
      .once('end', resolve)
      .once('error', () => resolve())
      .once('close', resolve);
    request.resume();
  });
}

/** Reads a body up to `limit` bytes; past it the read fails with 413 (the rest is left to drain). */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  if (Number(request.headers['content-length']) > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      request.off('data', onData).off('end', onEnd);
      reject(tooLarge(limit));
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    request.on('data', onData).once('end', onEnd).once('error', reject);
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Buffer): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new BadRequestException('The body is not valid UTF-8');
  }
}

type RefusableRequest = RequestWithBody & { [REFUSAL]?: unknown };
const REFUSAL = Symbol('front door refusal');

/**
 * Express: one middleware before Nest's own parsers. It gives the request its correlation id (so
 * even a parser error carries it), refuses a non-JSON body on a route that reads `@Body()` (415),
 * reads at most the route's limit (413) and parses JSON with a nesting limit (400). Bodies sent to
 * routes that read none are drained unread, so Nest's default parsers never see a body.
 *
 * A refusal is kept on the request, the body drained, and `FrontDoorGuard` throws it once the
 * request log's middleware has run, so refused requests are logged like any other.
 */
function expressFrontDoor(table: RouteTable) {
  const parse = async (request: RequestWithBody): Promise<void> => {
    const path = (request.url ?? '/').split('?')[0];
    const route: RouteFacts | undefined = table.match(request.method ?? 'GET', path);
    if (!route?.takesJson) return;
    const contentType = request.headers['content-type'];
    const encoding = request.headers['content-encoding'];
    if (!isJsonContentType(contentType) || (encoding && encoding !== 'identity')) {
      throw unsupportedMediaType(contentType);
    }
    const limit = route.bodyLimit ?? DEFAULT_BODY_LIMIT;
    request.body = parseJsonBody(decodeUtf8(await readBody(request, limit)));
  };
  return (request: RefusableRequest, response: ServerResponse, next: Next) => {
    request.id ??= correlationIdOf(request);
    response.setHeader('X-Request-Id', String(request.id));
    if (!hasBody(request)) return next();
    parse(request)
      .catch((refusal: unknown) => {
        request[REFUSAL] = refusal;
      })
      .then(() => drain(request))
      .then(() => next(), next);
  };
}

/** Answers a request the Express front door refused (see `expressFrontDoor`) with its error. */
@Injectable()
export class FrontDoorGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const refusal = context.switchToHttp().getRequest<RefusableRequest>()[REFUSAL];
    if (refusal !== undefined) throw refusal;
    return true;
  }
}

/** Fastify (banner-api): the same rules through Fastify's own parser and hooks. */
function fastifyFrontDoor(app: INestApplication, table: RouteTable): void {
  const adapter = app.getHttpAdapter() as FastifyAdapterLike;
  const fastify = adapter.getInstance() as FastifyLike;
  // Nest's own JSON parser is then not registered (see FastifyAdapter.useBodyParser).
  adapter.useBodyParser(
    'application/json',
    false,
    { bodyLimit: DEFAULT_BODY_LIMIT },
    (_request, body, done) => {
      try {
        done(null, parseJsonBody(decodeUtf8(body)));
      } catch (error) {
        done(error as Error);
      }
    },
  );
  fastify.addHook('onRequest', (request, _reply, done) => {
    // pino-http (the request log) reads the id from the raw request; give it Fastify's.
    request.raw.id = request.id;
    done();
  });
  fastify.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const facts = table.routes.find((r) => methods.includes(r.method) && r.path === route.url);
    route.bodyLimit ??= facts?.bodyLimit ?? DEFAULT_BODY_LIMIT;
  });
  fastify.addHook('preValidation', (request, _reply, done) => {
    const url = request.routeOptions.url;
    const route = table.routes.find((r) => r.method === request.method && r.path === url);
    const contentType = request.headers['content-type'];
    const wrongType = route?.takesJson && hasBody(request.raw) && !isJsonContentType(contentType);
    done(wrongType ? unsupportedMediaType(contentType) : undefined);
  });
}

/**
 * The front door every app shares (issue 24), installed by `configureApp` before Nest's router:
 * body size, media type and JSON nesting limits, and the correlation id from the first byte.
 * Returns the app's route table for the rest of the bootstrap.
 */
export function installFrontDoor(app: INestApplication): RouteTable {
  const table = routeTableOf(app);
  const adapter = app.getHttpAdapter();
  if (adapter.getType() === 'fastify') {
    fastifyFrontDoor(app, table);
  } else {
    app.use(expressFrontDoor(table));
    app.useGlobalGuards(new FrontDoorGuard());
  }
  return table;
}

/** `GET /` of an app without a page of its own sends the visitor to its API docs. */
export function redirectRootToDocs(app: INestApplication, table: RouteTable): void {
  if (table.match('GET', '/')) return;
  const adapter = app.getHttpAdapter();
  adapter.get('/', (_request: unknown, response: unknown) =>
    adapter.redirect(response, 302, '/docs'),
  );
}
