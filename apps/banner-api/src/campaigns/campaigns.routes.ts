import { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { ImagesService } from '../images/images.service';
import { CampaignAnswer, CampaignsService } from './campaigns.service';

const JSON_TYPE = 'application/json; charset=utf-8';
const HTML_TYPE = 'text/html; charset=utf-8';
const PREFIX = '/campaigns/';

/**
 * Writes an answer straight to Node's response: no framework work left on the hottest route. An
 * answer for `Accept: image/*` carries the picked banner's image (so the URL can be an `<img src>`).
 */
export function writeAnswer(
  response: ServerResponse,
  answer: CampaignAnswer,
  images: ImagesService,
): void {
  if (answer.imageOf !== undefined) {
    writeImage(response, answer, images).catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
    });
    return;
  }
  const headers: OutgoingHttpHeaders = {
    'content-type': answer.html ? HTML_TYPE : JSON_TYPE,
    'cache-control': 'no-store',
    vary: 'Accept, Cookie, X-Visitor-Id',
    // Without it writeHead() leads Node to chunked encoding.
    'content-length': Buffer.byteLength(answer.body),
  };
  if (answer.setCookie !== undefined) headers['set-cookie'] = answer.setCookie;
  if (answer.visitorId !== undefined) headers['x-visitor-id'] = answer.visitorId;
  if (answer.requestId !== undefined) headers['x-request-id'] = answer.requestId;
  response.writeHead(answer.status, headers);
  response.end(answer.body);
}

async function writeImage(
  response: ServerResponse,
  answer: CampaignAnswer,
  images: ImagesService,
): Promise<void> {
  const image = await images.bannerImage(answer.imageOf!);
  const headers: OutgoingHttpHeaders = {
    'content-type': image.contentType,
    'cache-control': 'no-store',
    vary: 'Accept, Cookie, X-Visitor-Id',
    'content-length': image.body.length,
  };
  if (answer.setCookie !== undefined) headers['set-cookie'] = answer.setCookie;
  if (answer.visitorId !== undefined) headers['x-visitor-id'] = answer.visitorId;
  response.writeHead(200, headers);
  response.end(image.body);
}

/**
 * `GET /campaigns/:campaignId` ahead of Fastify's router, for the Node server Fastify is built on
 * (its `serverFactory` option): answers and returns true, or returns false to let Fastify handle
 * the request. Measured against a route inside Fastify in README, "Performance"; the Nest route in
 * campaigns.controller.ts documents it and serves what still reaches Fastify.
 */
export function campaignFastPath(campaigns: CampaignsService, images: ImagesService) {
  return (request: IncomingMessage, response: ServerResponse): boolean => {
    const url = request.url!;
    if (request.method !== 'GET' || !url.startsWith(PREFIX)) return false;
    const query = url.indexOf('?', PREFIX.length);
    const rawId = url.slice(PREFIX.length, query < 0 ? undefined : query);
    if (rawId === '' || rawId.includes('/')) return false;
    writeAnswer(
      response,
      campaigns.serve(rawId, request.headers, request.socket.remoteAddress),
      images,
    );
    return true;
  };
}
