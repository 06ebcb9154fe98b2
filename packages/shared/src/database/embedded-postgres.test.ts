import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres';

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('embedded PostgreSQL', () => {
  let root: string;
  let dataDir: string;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'embedded-pg-test-'));
    // As root the server runs as the `postgres` user, which must be able to reach the folder.
    await chmod(root, 0o755);
    dataDir = join(root, 'nested', 'postgres');
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('initialises an empty directory, serves queries, and keeps data across a restart', async () => {
    const first = await startEmbeddedPostgres({ dataDir, database: 'lifecycle' });
    assert.equal(first.startedHere, true);
    assert.match(first.url, /^postgres:\/\/postgres:.+@127\.0\.0\.1:\d+\/lifecycle$/);
    await query(first.url, 'CREATE TABLE kept (value text)');
    await query(first.url, "INSERT INTO kept VALUES ('survives a restart')");
    const [{ server_version: version }] = await query<{ server_version: string }>(
      first.url,
      'SHOW server_version',
    );
    assert.match(version, /^15\./);
    const [wal] = await query<{ max: string; min: string }>(
      first.url,
      "SELECT current_setting('max_wal_size') AS max, current_setting('min_wal_size') AS min",
    );
    assert.deepEqual(wal, { max: '64MB', min: '32MB' }, 'WAL sized for a development database');
    await first.stop();
    assert.ok(!(await readdir(dataDir)).includes('postmaster.pid'), 'stopped cleanly');

    const second = await startEmbeddedPostgres({ dataDir, database: 'lifecycle' });
    try {
      const rows = await query<{ value: string }>(second.url, 'SELECT value FROM kept');
      assert.deepEqual(rows, [{ value: 'survives a restart' }]);
    } finally {
      await second.stop();
    }
  });

  it('stops at once when the server has already exited (Ctrl-C reaches the whole process group)', async () => {
    const server = await startEmbeddedPostgres({ dataDir, database: 'lifecycle' });
    const [{ pid }] = await query<{ pid: number }>(server.url, 'SELECT pg_backend_pid() AS pid');
    const postmaster = Number(
      (await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0],
    );
    assert.ok(postmaster > 0 && postmaster !== pid);
    process.kill(postmaster, 'SIGINT');
    while (existsSync(join(dataDir, 'postmaster.pid'))) await sleep(50);
    await sleep(200);
    const started = Date.now();
    await server.stop();
    assert.ok(Date.now() - started < 1_000, `stop() took ${Date.now() - started} ms`);
  });

  it('reuses a server already running on the same directory instead of starting another', async () => {
    const owner = await startEmbeddedPostgres({ dataDir, database: 'lifecycle' });
    try {
      const guest = await startEmbeddedPostgres({ dataDir, database: 'other' });
      assert.equal(guest.startedHere, false);
      assert.equal(new URL(guest.url).port, new URL(owner.url).port);
      await guest.stop(); // a no-op: the guest does not own the server
      const [{ ok }] = await query<{ ok: number }>(guest.url, 'SELECT 1 AS ok');
      assert.equal(ok, 1);
    } finally {
      await owner.stop();
    }
  });

  it('refuses password-less connections (scram authentication, not trust)', async () => {
    const server = await startEmbeddedPostgres({ dataDir, database: 'lifecycle' });
    try {
      const url = new URL(server.url);
      url.password = 'wrong';
      await assert.rejects(query(url.toString(), 'SELECT 1'), /password authentication failed/);
    } finally {
      await server.stop();
    }
  });
});
