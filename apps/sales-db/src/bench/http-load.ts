import { Agent, request } from 'node:http';

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  worstMs: number;
  /** When the slowest request was sent, in seconds from the round's start. */
  worstAtS: number;
  /** The slowest request sent after the round's first second (servers idle before a round). */
  worstAfterFirstSecondMs: number;
}

/**
 * `connections` keep-alive clients each sending `path` back to back for `seconds`; every answer
 * other than 200 counts as an error. Latencies are kept whole for exact percentiles.
 */
export async function httpLoad(options: {
  port: number;
  path: string;
  headers?: Record<string, string>;
  connections: number;
  seconds: number;
}): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  let errors = 0;
  let worst = { ms: 0, sentAtMs: 0 };
  let worstAfterFirstSecondMs = 0;
  const started = performance.now();
  const until = started + options.seconds * 1000;
  const one = () =>
    new Promise<void>((resolve) => {
      const sent = performance.now();
      const call = request(
        {
          host: '127.0.0.1',
          port: options.port,
          path: options.path,
          headers: options.headers,
          agent,
        },
        (response) => {
          response.resume();
          response.on('end', () => {
            const ms = performance.now() - sent;
            latencies.push(ms);
            if (ms > worst.ms) worst = { ms, sentAtMs: sent - started };
            if (sent - started > 1000)
              worstAfterFirstSecondMs = Math.max(worstAfterFirstSecondMs, ms);
            if (response.statusCode !== 200) errors += 1;
            resolve();
          });
        },
      );
      call.on('error', () => {
        errors += 1;
        resolve();
      });
      call.end();
    });
  const client = async () => {
    while (performance.now() < until) await one();
  };
  await Promise.all(Array.from({ length: options.connections }, client));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (share: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * share))] ?? 0;
  return {
    requests: latencies.length,
    errors,
    seconds,
    perSecond: latencies.length / seconds,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    worstMs: latencies[latencies.length - 1] ?? 0,
    worstAtS: worst.sentAtMs / 1000,
    worstAfterFirstSecondMs,
  };
}
