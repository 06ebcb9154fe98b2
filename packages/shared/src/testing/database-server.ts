import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../database/embedded-postgres';

export interface TestServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * The server a test run talks to: `DATABASE_URL` when given, otherwise a throwaway embedded
 * PostgreSQL in a temporary directory, removed afterwards.
 */
export async function startTestServer(): Promise<TestServer> {
  if (process.env.DATABASE_URL)
    return { url: process.env.DATABASE_URL, stop: async () => undefined };
  const dir = await mkdtemp(join(tmpdir(), 'des-test-pg-'));
  // mkdtemp makes a 0700 folder; as root the server runs as `postgres` and must traverse it.
  await chmod(dir, 0o755);
  const server = await startEmbeddedPostgres({ dataDir: join(dir, 'data'), database: 'postgres' });
  return {
    url: server.url,
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
