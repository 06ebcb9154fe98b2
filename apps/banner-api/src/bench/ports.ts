import { AddressInfo, createServer } from 'node:net';

let portsTaken = 0;

/**
 * The next port for a benchmark server: BENCH_PORT, BENCH_PORT + 1, … when set (a shared machine
 * hands out port ranges), else a free port the system picks.
 */
export async function benchPort(): Promise<number> {
  const first = Number(process.env.BENCH_PORT ?? 0);
  if (first) return first + portsTaken++;
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
