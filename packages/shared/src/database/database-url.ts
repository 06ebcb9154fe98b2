import { join } from 'node:path';
import { findRepoRoot } from '../repo-root';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from './embedded-postgres';

let embedded: Promise<EmbeddedPostgresHandle> | undefined;

/** Where `npm start` and standalone apps keep the embedded cluster (`PGDATA_DIR` overrides). */
export function defaultDataDir(): string {
  return process.env.PGDATA_DIR ?? join(findRepoRoot(), '.data', 'postgres');
}

/**
 * The database every app connects to: `DATABASE_URL` when it is set, otherwise an embedded
 * PostgreSQL in `.data/postgres`, started once per process (or reused if already running).
 */
export async function resolveDatabaseUrl(databaseUrl: string | undefined): Promise<string> {
  if (databaseUrl) return databaseUrl;
  embedded ??= startEmbeddedPostgres({ dataDir: defaultDataDir() });
  return (await embedded).url;
}

/** Stops the embedded server if this process started it. */
export async function stopEmbeddedPostgres(): Promise<void> {
  const handle = await embedded;
  embedded = undefined;
  await handle?.stop();
}
