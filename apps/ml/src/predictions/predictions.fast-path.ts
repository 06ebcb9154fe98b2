import { IncomingMessage, ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';
import { correlationIdOf, isJsonContentType } from '@des/shared';
import { CarFeatures, Feature, FEATURE_VALUES, normaliseValue } from '../car/attributes';
import { ServedAnswer } from '../model/answer';

const logger = new Logger('Predictions');

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const PATH = '/predictions';
/** The longest body the fast path reads; a valid question is about 100 bytes. */
export const FAST_PATH_MAX_BYTES = 1024;
const HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

/**
 * `POST /predictions` ahead of the framework, on the Node server it is built on. A request the
 * fast path can answer entirely (a small JSON object whose keys are attributes and whose values
 * are accepted spellings) gets the served answer's precomputed JSON. Anything else (other routes,
 * other media types, large, chunked or encoded bodies, invalid JSON or values, no model yet) goes
 * to `framework` unchanged, with the body it already read replayed, so errors and their shapes
 * are exactly the framework's.
 */
export function predictionFastPath(
  answer: (car: CarFeatures) => ServedAnswer | undefined,
  framework: Handler,
  /** Log a line per answer (LOG_LEVEL debug or trace); checked once, not per request. */
  logAnswers: boolean,
): Handler {
  return (request, response) => {
    // Media types as the front door accepts them; it answers 415 for the others.
    const length = Number(request.headers['content-length']);
    if (
      request.method !== 'POST' ||
      request.url !== PATH ||
      !(length > 0 && length <= FAST_PATH_MAX_BYTES) ||
      request.headers['content-encoding'] !== undefined ||
      request.headers['transfer-encoding'] !== undefined ||
      !isJsonContentType(request.headers['content-type'])
    ) {
      framework(request, response);
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      const car = questionOf(body);
      const served = car && answer(car);
      if (!served) {
        framework(replay(request, body), response);
        return;
      }
      const correlationId = correlationIdOf(request);
      response.writeHead(200, {
        ...HEADERS,
        'content-length': served.json.length,
        'x-request-id': correlationId,
      });
      response.end(served.json);
      // The hottest route: its answers are logged at debug only (errors reach the framework's log).
      if (logAnswers)
        logger.debug({
          route: `POST ${PATH}`,
          status: 200,
          correlationId,
          bytes: served.json.length,
        });
    });
  };
}

const FEATURE_NAMES = new Set<string>(Object.keys(FEATURE_VALUES));

/** The question in a body, normalised; undefined for anything the framework must judge. */
function questionOf(body: Buffer): CarFeatures | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const car: CarFeatures = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!FEATURE_NAMES.has(key)) return undefined;
    if (value === null) continue; // as the DTO: null means not given
    const normalised = normaliseValue(key as Feature, value);
    if (normalised === undefined) return undefined;
    car[key as Feature] = normalised;
  }
  return car;
}

/** A fresh request carrying the same head and the body already read, for the framework to parse. */
function replay(original: IncomingMessage, body: Buffer): IncomingMessage {
  const copy = new IncomingMessage(original.socket);
  copy.method = original.method;
  copy.url = original.url;
  copy.httpVersionMajor = original.httpVersionMajor;
  copy.httpVersionMinor = original.httpVersionMinor;
  copy.httpVersion = original.httpVersion;
  copy.headers = original.headers;
  copy.rawHeaders = original.rawHeaders;
  // Without it, destroying the copy once read counts as an aborted request and closes the socket.
  copy.complete = true;
  copy.push(body);
  copy.push(null);
  return copy;
}
