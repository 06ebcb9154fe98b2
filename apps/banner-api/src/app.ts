import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { Duplex } from 'node:stream';
import multipart from '@fastify/multipart';
import fastifyStatic, { FastifyStaticOptions } from '@fastify/static';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { configureApp, correlationIdOf } from '@des/shared';
import { AppModule, AppModuleOptions } from './app.module';
import { campaignFastPath } from './campaigns/campaigns.routes';
import { CampaignsService } from './campaigns/campaigns.service';
import { ImagesService } from './images/images.service';
import { loadConfig } from './config';

/**
 * npm installs @fastify/static under this app rather than at the root, where Nest's adapter would
 * look for it (swagger serves its UI through it); hand it over from here instead.
 */
class BannerFastifyAdapter extends FastifyAdapter {
  override useStaticAssets(options: FastifyStaticOptions) {
    return this.register(fastifyStatic as Parameters<FastifyAdapter['register']>[0], options);
  }
}

/**
 * A request Node cannot parse (a head over 16 KB, a malformed line) gets an answer before the
 * socket closes: 431 or 400 with a JSON body, instead of a silently closed connection.
 */
function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || (socket as Duplex & { _httpMessage?: unknown })._httpMessage) {
      socket.destroy();
      return;
    }
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? 431 : 400;
    const body = JSON.stringify({
      statusCode: status,
      error: tooLarge ? 'Request Header Fields Too Large' : 'Bad Request',
      message: tooLarge
        ? 'The request head is larger than 16 KB'
        : 'The request could not be parsed as HTTP',
      correlationId: randomUUID(),
    });
    socket.end(
      `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

/** Builds the app with its production pipeline; used by main.ts, the CLI, the benchmarks and the e2e tests. */
export async function createApp(
  env: NodeJS.ProcessEnv = process.env,
  options: AppModuleOptions = {},
): Promise<NestFastifyApplication> {
  const config = loadConfig(env);
  // Bound once the app exists; the server only receives requests after listen().
  const bound: { fastPath?: (request: IncomingMessage, response: ServerResponse) => boolean } = {};
  // Fastify rather than Express: several times the throughput (README, "Performance").
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(config, options),
    new BannerFastifyAdapter({
      genReqId: correlationIdOf,
      serverFactory: (handler: (request: IncomingMessage, response: ServerResponse) => void) => {
        const server = createServer((request, response) => {
          if (!bound.fastPath?.(request, response)) handler(request, response);
        });
        answerClientErrors(server);
        return server;
      },
    }),
    { bufferLogs: true },
  );
  await app.register(multipart, {
    limits: { fileSize: config.BANNER_MAX_UPLOAD_MB * 1024 * 1024, files: 24, fields: 10 },
  });
  const fastify = app.getHttpAdapter().getInstance();
  // The correlation id goes back to the caller on every answer, as with the other apps.
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  // Creatives arrive as raw PNG bytes; one byte over the limit still reaches the controller, which names the limit.
  fastify.addContentTypeParser(
    'image/png',
    { parseAs: 'buffer', bodyLimit: config.BANNER_MAX_CREATIVE_KB * 1024 + 1 },
    (_request, body, done) => done(null, body),
  );
  bound.fastPath = campaignFastPath(app.get(CampaignsService), app.get(ImagesService));
  configureApp(app, {
    title: 'Banner service',
    description: 'Revenue-ranked ad banners per campaign and quarter of the hour, with CSV imports',
  });
  return app;
}
