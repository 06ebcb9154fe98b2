import cluster from 'node:cluster';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { benchPort } from './ports';

const BODY = JSON.stringify({
  campaignId: 1,
  bannerId: 1,
  quarter: 1,
  imageUrl: '/images/image_1.png',
});

/** The baseline: plain node:http answering a fixed JSON body of the same size as a banner answer. */
function answer(_request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(BODY),
  });
  response.end(BODY);
}

export async function startBareServer(): Promise<{ server: Server; url: string }> {
  const server = createServer(answer);
  const port = await benchPort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * Run as a script (`node bare-server.js`): the same server on PORT in BENCH_BARE_WORKERS processes
 * with node:cluster, as `main.js` runs the app, so the N-worker app has a baseline with the same N.
 */
if (require.main === module) {
  const workers = Number(process.env.BENCH_BARE_WORKERS ?? 1);
  if (cluster.isPrimary && workers > 1) {
    for (let i = 0; i < workers; i++) cluster.fork();
    process.on('SIGTERM', () => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
      process.exit(0);
    });
  } else {
    createServer(answer).listen(Number(process.env.PORT), '127.0.0.1');
  }
}
