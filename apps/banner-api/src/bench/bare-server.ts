import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { benchPort } from './harness';

const BODY = JSON.stringify({
  campaignId: 1,
  bannerId: 1,
  quarter: 1,
  imageUrl: '/images/image_1.png',
});

/** The baseline: plain node:http answering a fixed JSON body of the same size as a banner answer. */
export async function startBareServer(): Promise<{ server: Server; url: string }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(BODY),
    });
    response.end(BODY);
  });
  const port = await benchPort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
