/**
 * The load generator, run as its own process (`fork`) so autocannon never shares an event loop
 * with the server it measures. Receives a LoadPlan over IPC and answers with a LoadResult.
 */
import autocannon from 'autocannon';

export interface RequestVariant {
  path: string;
  headers: Record<string, string>;
}

export interface LoadPlan {
  url: string;
  connections: number;
  durationSeconds: number;
  /** Requests per second for the whole run (soak); unlimited when absent. */
  overallRate?: number;
  variants: RequestVariant[];
}

export interface LoadResult {
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCounts: Record<string, number>;
}

function run(plan: LoadPlan): Promise<LoadResult> {
  const { variants } = plan;
  // Response times in ms, for exact percentiles (autocannon's own summary has no p95).
  let latencies = new Float64Array(1 << 20);
  let count = 0;
  const statusCounts: Record<string, number> = {};
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: plan.url,
        connections: plan.connections,
        duration: plan.durationSeconds,
        overallRate: plan.overallRate,
        timeout: 10,
        requests: [
          {
            setupRequest: (request) => {
              const variant = variants[Math.floor(Math.random() * variants.length)];
              request.path = variant.path;
              request.headers = variant.headers;
              return request;
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        const sorted = latencies.subarray(0, count).sort();
        const at = (q: number) => (count ? sorted[Math.min(count - 1, Math.floor(q * count))] : 0);
        resolve({
          requests: result.requests.total,
          // A stopped run is shorter than planned.
          requestsPerSecond: result.requests.total / (result.duration || plan.durationSeconds),
          p50: at(0.5),
          p95: at(0.95),
          p99: at(0.99),
          max: at(1),
          errors: result.errors,
          timeouts: result.timeouts,
          non2xx: result.non2xx,
          statusCounts,
        });
      },
    );
    stop = () => instance.stop();
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (count === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[count++] = responseTime;
      statusCounts[statusCode] = (statusCounts[statusCode] ?? 0) + 1;
    });
  });
}

let stop: (() => void) | undefined;
process.on('message', (message: LoadPlan | 'stop') => {
  // 'stop' ends an open-ended run (the import benchmark stops the load when the import is done).
  if (message === 'stop') return stop?.();
  run(message).then(
    (result) => process.send!(result, () => process.exit(0)),
    (error: Error) => {
      console.error(error);
      process.exit(1);
    },
  );
});
