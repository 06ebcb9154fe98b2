import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, WriteStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import {
  databaseUrlVar,
  defaultDataDir,
  EmbeddedPostgresHandle,
  findRepoRoot,
  loadEnv,
  portVar,
  startEmbeddedPostgres,
} from '@des/shared';
import { z } from 'zod';
import { STACK_APPS, StackApp } from './apps';

const stackEnvSchema = z.object({
  DATABASE_URL: databaseUrlVar,
  ...Object.fromEntries(STACK_APPS.map((app) => [app.portVariable, portVar(app.defaultPort)])),
});

export interface StackOptions {
  env: NodeJS.ProcessEnv;
  /** The sales database's demo logins (written by it in demo mode); printed once started. */
  demoLoginsFile?: string;
  /** Where lines for the person at the terminal go. */
  print: (line: string) => void;
  healthTimeoutMs?: number;
}

interface RunningApp {
  app: StackApp;
  port: number;
  child: ChildProcess;
  log: WriteStream;
  exited: Promise<number | null>;
}

const PINO_WARN = 40;

/**
 * Runs the whole stack on one machine: PostgreSQL (the embedded one in .data/postgres unless
 * DATABASE_URL is set), then every app as a child process with demo data, each app's JSON log
 * in .data/logs/<app>.log and its warnings and errors on the terminal.
 */
export class Stack {
  private database?: EmbeddedPostgresHandle;
  private running: RunningApp[] = [];
  private stopping?: Promise<void>;
  private readonly root = findRepoRoot();

  constructor(private readonly options: StackOptions) {}

  async start(): Promise<void> {
    const { env, print } = this.options;
    // Everything the stack reads, checked before anything starts; one message names every bad variable.
    const settings: Record<string, unknown> = loadEnv(stackEnvSchema, env);
    const ports = STACK_APPS.map((app) => ({ app, port: settings[app.portVariable] as number }));
    let databaseUrl = settings.DATABASE_URL as string | undefined;
    // The embedded server is demo mode: sales-db makes one login per team and the stack prints
    // them. An external DATABASE_URL gets none unless SALES_DEMO_LOGINS asks for them.
    const demoMode: NodeJS.ProcessEnv = databaseUrl
      ? {}
      : { SALES_DEMO_LOGINS: env.SALES_DEMO_LOGINS ?? 'true' };
    if (databaseUrl) {
      print(`PostgreSQL: using DATABASE_URL (${redact(databaseUrl)})`);
    } else {
      const dataDir = env.PGDATA_DIR ?? defaultDataDir();
      print(`PostgreSQL: starting the embedded server in ${dataDir}`);
      this.database = await startEmbeddedPostgres({ dataDir });
      databaseUrl = this.database.url;
      print(`PostgreSQL: ready at ${redact(databaseUrl)}`);
    }
    const logDir = join(this.root, '.data', 'logs');
    mkdirSync(logDir, { recursive: true });
    this.running = ports.map(({ app, port }) =>
      this.spawnApp(app, port, logDir, { DATABASE_URL: databaseUrl, ...demoMode }),
    );
    await Promise.all(this.running.map((app) => this.waitHealthy(app)));
    print('');
    print('All apps are healthy:');
    for (const { app, port } of this.running) {
      const home = `http://localhost:${port}${app.home}`;
      const docs = app.apiDocs ? `docs: http://localhost:${port}/docs` : '';
      print(`  ${app.name.padEnd(11)} ${home.padEnd(36)} ${docs}`.trimEnd());
      if (app.note) print(`  ${''.padEnd(11)} ${app.note}`);
    }
    const loginsFile =
      this.options.demoLoginsFile ??
      resolve(this.root, env.SALES_DEMO_LOGINS_FILE ?? join('.data', DEMO_LOGINS_FILE));
    for (const line of demoLoginLines(loginsFile)) print(line);
    print(`Logs: ${logDir}/<app>.log. Press Ctrl-C to stop everything.`);
  }

  /** Resolves when any app exits on its own (a crash): the stack is no longer whole. */
  async firstExit(): Promise<string> {
    return Promise.race(
      this.running.map(async ({ app, exited }) => `${app.name} exited with code ${await exited}`),
    );
  }

  /** Stops every app (SIGTERM, then SIGKILL after a grace period), then PostgreSQL. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await Promise.all(
        this.running.map(async ({ child, exited, log }) => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timer);
          log.end();
        }),
      );
      await this.database?.stop();
    })();
    return this.stopping;
  }

  private spawnApp(
    app: StackApp,
    port: number,
    logDir: string,
    extra: NodeJS.ProcessEnv,
  ): RunningApp {
    const { env, print } = this.options;
    // The app's own `npm start` script, the command its container runs too, so node flags an
    // app needs (the pipeline's heap caps) live in one place. The scripts `exec` node, so the
    // SIGTERM npm forwards reaches the app itself and npm exits only once the app has stopped.
    const [command, args] = npmCommand(env, ['start', '--silent', '-w', `apps/${app.name}`]);
    const child = spawn(command, args, {
      cwd: this.root,
      env: {
        ...env,
        ...extra,
        PORT: String(port),
        DEMO_DATA: env.DEMO_DATA ?? 'true',
        NODE_ENV: env.NODE_ENV ?? 'development',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = createWriteStream(join(logDir, `${app.name}.log`), { flags: 'a' });
    const relay = (stream: NodeJS.ReadableStream) =>
      createInterface({ input: stream }).on('line', (line) => {
        log.write(`${line}\n`);
        // Once stopping, lost connections are expected (Ctrl-C reaches PostgreSQL too): log only.
        if (!this.stopping && isWorthShowing(line)) print(`[${app.name}] ${summarise(line)}`);
      });
    relay(child.stdout!);
    relay(child.stderr!);
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    return { app, port, child, log, exited };
  }

  private async waitHealthy({ app, port, exited }: RunningApp): Promise<void> {
    const deadline = Date.now() + (this.options.healthTimeoutMs ?? 90_000);
    let gone = false;
    void exited.then(() => (gone = true));
    while (Date.now() < deadline) {
      if (gone)
        throw new Error(`${app.name} exited during start-up (see .data/logs/${app.name}.log)`);
      try {
        const response = await fetch(`http://127.0.0.1:${port}/health`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`${app.name} was not healthy on port ${port} in time`);
  }
}

export const DEMO_LOGINS_FILE = 'sales-db-demo-logins.txt';

/**
 * The lines that show the sales database's demo logins (`team<TAB>user<TAB>password` per line in
 * `file`), or none when the file does not exist (not demo mode, or an external database).
 */
export function demoLoginLines(file: string): string[] {
  if (!existsSync(file)) return [];
  const logins = readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.split('\t'))
    .filter((fields) => fields.length === 3 && fields.every(Boolean));
  if (logins.length === 0) return [];
  return [
    '',
    `Demo logins for sales-db (also in ${file}):`,
    ...logins.map(
      ([team, user, password]) => `  ${team.padEnd(10)} ${user.padEnd(16)} ${password}`,
    ),
    '  Use them as `curl -u <user>:<password> ...`; apps/sales-db/README.md has a curl per report.',
  ];
}

/** npm as the caller ran it (`npm_execpath` under `npm start`), else the `npm` on PATH. */
function npmCommand(env: NodeJS.ProcessEnv, args: string[]): [string, string[]] {
  const npmCli = env.npm_execpath;
  return npmCli?.endsWith('.js') ? [process.execPath, [npmCli, ...args]] : ['npm', args];
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** Non-JSON lines (crashes, CLI output) and pino lines at warn or above. */
function isWorthShowing(line: string): boolean {
  try {
    const entry = JSON.parse(line) as { level?: number };
    return (entry.level ?? PINO_WARN) >= PINO_WARN;
  } catch {
    return line.trim() !== '';
  }
}

function summarise(line: string): string {
  try {
    const entry = JSON.parse(line) as { msg?: string; err?: { message?: string } };
    return [entry.msg, entry.err?.message].filter(Boolean).join(': ') || line;
  } catch {
    return line;
  }
}
