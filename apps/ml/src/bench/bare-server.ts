/**
 * The benchmark's baseline, run as its own process: a bare node:http server that reads the
 * request body, parses it as JSON, and answers a fixed JSON of the same shape as a prediction
 * (BARE_ANSWER, the service's own answer to the question). PORT: where to listen.
 */
import { createServer } from 'node:http';

const answer = Buffer.from(process.env.BARE_ANSWER ?? '{}');

createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      response.writeHead(400).end();
      return;
    }
    response.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': answer.length,
    });
    response.end(answer);
  });
}).listen(Number(process.env.PORT), '127.0.0.1');
