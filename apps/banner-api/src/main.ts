import 'reflect-metadata';
import cluster from 'node:cluster';
import { relative } from 'node:path';
import { findRepoRoot, runMain } from '@des/shared';
import { createApp } from './app';
import { resolveSecrets } from './auth/secrets';
import { loadConfig, workerCount } from './config';

runMain('banner-api', async () => {
  const config = loadConfig();
  if (cluster.isPrimary) {
    // Once per start: refuses in production without them, else generates or reuses .data/ secrets.
    const secrets = resolveSecrets(config);
    if (secrets.generated.length) {
      const [name, token] = [...secrets.importTokens][0];
      process.stdout.write(
        `banner-api: ${secrets.generated.join(' and ')} not set (demo mode): using ${relative(findRepoRoot(), secrets.file)}. ` +
          `Writes need "Authorization: Bearer ${token}" (token "${name}").\n`,
      );
    }
    // Workers get the same values through their environment.
    process.env.BANNER_IMPORT_TOKEN = [...secrets.importTokens]
      .map(([n, t]) => `${n}=${t}`)
      .join(',');
    process.env.BANNER_COOKIE_SECRET = secrets.cookieSecret;
    const workers = workerCount(config);
    if (workers > 1) return startWorkers(workers);
  }
  const app = await createApp();
  await app.listen(config.PORT, config.HOST);
});

/**
 * BANNER_WORKERS processes sharing the port (node:cluster). Each is a whole app: it follows the
 * database notifications itself, and its imports run on its own import thread. A worker that dies
 * is replaced; SIGINT/SIGTERM stop them all.
 */
function startWorkers(count: number): void {
  let stopping = false;
  const listening = new Set<number>();
  for (let i = 0; i < count; i++) cluster.fork();
  cluster.on('listening', (worker) => listening.add(worker.id));
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (!Object.keys(cluster.workers ?? {}).length) process.exit(process.exitCode ?? 0);
      return;
    }
    if (!listening.has(worker.id)) {
      // It never started (bad configuration, port taken): another would fail the same way.
      stopping = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM');
      process.exitCode = 1;
      return;
    }
    process.stderr.write(
      `banner-api: worker ${worker.process.pid} exited (${signal ?? code}); starting another\n`,
    );
    cluster.fork();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    });
  }
  process.stdout.write(`banner-api: ${count} worker processes\n`);
}
