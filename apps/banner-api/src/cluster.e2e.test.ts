import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, TestDatabase } from '@des/shared/testing';

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

describe('BANNER_WORKERS (node:cluster)', () => {
  let database: TestDatabase;
  before(async () => (database = await createTestDatabase('banner_cluster')));
  after(() => database?.drop());

  it('runs N worker processes on one port and stops them all on SIGTERM (exit 0)', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [join(__dirname, 'main.js')], {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        PORT: String(port),
        LOG_LEVEL: 'warn',
        BANNER_WORKERS: '2',
        BANNER_IMPORT_TOKEN: 'cluster-test-token-0123',
        BANNER_COOKIE_SECRET: 'cluster-test-secret-0123',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    try {
      let healthy = false;
      for (let i = 0; i < 240 && !healthy; i++) {
        healthy = await fetch(`http://127.0.0.1:${port}/health`).then(
          (response) => response.ok,
          () => false,
        );
        if (!healthy) await new Promise((resolve) => setTimeout(resolve, 500));
      }
      assert.ok(healthy, output);
      assert.match(output, /2 worker processes/);
      const workers = execFileSync('ps', ['-o', 'pid=', '--ppid', String(child.pid)], {
        encoding: 'utf8',
      })
        .split('\n')
        .filter(Boolean);
      assert.equal(workers.length, 2);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0);
  });
});
