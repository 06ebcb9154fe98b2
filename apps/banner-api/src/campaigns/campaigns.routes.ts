import { FastifyInstance } from 'fastify';
import { CampaignsService } from './campaigns.service';

const JSON_TYPE = 'application/json; charset=utf-8';
const HTML_TYPE = 'text/html; charset=utf-8';

/**
 * `GET /campaigns/:campaignId`, registered on Fastify itself rather than as a Nest controller: the
 * Nest pipeline (router proxy, pipes, interceptor chain) costs a measurable share of throughput
 * on the hottest route (README, "Performance"). Everything else stays in Nest.
 */
export function registerCampaignRoute(fastify: FastifyInstance, campaigns: CampaignsService): void {
  fastify.get<{ Params: { campaignId: string } }>('/campaigns/:campaignId', (request, reply) => {
    const answer = campaigns.serve(request.params.campaignId, request.headers, request.id);
    reply
      .code(answer.status)
      .header('content-type', answer.html ? HTML_TYPE : JSON_TYPE)
      .header('cache-control', 'no-store')
      .header('vary', 'Accept, Cookie, X-Visitor-Id');
    if (answer.setCookie !== undefined) reply.header('set-cookie', answer.setCookie);
    if (answer.visitorId !== undefined) reply.header('x-visitor-id', answer.visitorId);
    reply.send(answer.body);
  });
}
