import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, chown, copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { INestApplication } from '@nestjs/common';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from '@des/shared';
import { Client } from 'pg';
import request from 'supertest';
import { createApp } from '../app';
import { makeTestCertificates, TestCertificates } from '../testing/certificates';
import { DBGEN_SUPPLIER_LINES } from '../testing/warehouse-fixture';

/** The same server and login, asking for TLS verified against `caFile` (libpq's spelling). */
function verifyFull(url: string, caFile: string): string {
  const tls = new URL(url);
  tls.searchParams.set('sslmode', 'verify-full');
  tls.searchParams.set('sslrootcert', caFile);
  return tls.toString();
}

async function sslInUse(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ ssl: boolean }>(
      'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
    );
    return rows[0].ssl;
  } finally {
    await client.end();
  }
}

/**
 * A PostgreSQL of its own, first without TLS, then with `ssl = on` and a certificate made by
 * openssl for this test: the load works over verified TLS; a server without TLS and a
 * certificate from another CA are refused with clear errors.
 */
describe('the load in transit: sslmode=verify-full', () => {
  let dir: string;
  let server: EmbeddedPostgresHandle;
  let certificates: TestCertificates;
  const apps: INestApplication[] = [];

  async function startApp(env: NodeJS.ProcessEnv): Promise<INestApplication> {
    const app = await createApp({
      ...process.env,
      WAREHOUSE_SOURCE_DIR: join(dir, 'source'),
      WAREHOUSE_SUPPLIER_CRON: 'off',
      LOG_LEVEL: 'silent',
      ...env,
    });
    await app.init();
    apps.push(app);
    return app;
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'warehouse-tls-'));
    // As root the server runs as `postgres`, which must reach its data directory.
    await chmod(dir, 0o755);
    certificates = await makeTestCertificates(dir);
    server = await startEmbeddedPostgres({ dataDir: join(dir, 'data'), database: 'warehouse' });
    const night = join(dir, 'source', 'supplier', '20261201');
    await mkdir(night, { recursive: true });
    await writeFile(
      join(night, 'supplier.tbl'),
      DBGEN_SUPPLIER_LINES.map((line) => `${line}\n`).join(''),
    );
  });

  after(async () => {
    for (const app of apps) await app.close();
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a server without TLS, saying so', async () => {
    const app = await startApp({
      DATABASE_URL: server.url,
      WAREHOUSE_LOAD_DATABASE_URL: verifyFull(server.url, certificates.caFile),
    });
    const response = await request(app.getHttpServer()).post('/loads/supplier').expect(503);
    assert.match(
      response.body.message,
      /^cannot connect for the load: The server does not support SSL connections/,
    );
  });

  it('loads over TLS verified against the CA (sslmode=verify-full)', async () => {
    await enableTls(server.url, join(dir, 'data'), certificates);
    const tlsUrl = verifyFull(server.url, certificates.caFile);
    assert.equal(await sslInUse(tlsUrl), true);
    // Migrations, the API's pool and the load all connect over verified TLS.
    const app = await startApp({ DATABASE_URL: tlsUrl, WAREHOUSE_LOAD_DATABASE_URL: tlsUrl });
    const response = await request(app.getHttpServer()).post('/loads/supplier').expect(201);
    assert.equal(response.body.outcome, 'loaded');
    assert.equal(response.body.rowsLoaded, DBGEN_SUPPLIER_LINES.length);
  });

  it('refuses a server whose certificate another CA signed', async () => {
    const app = await startApp({
      DATABASE_URL: server.url,
      WAREHOUSE_LOAD_DATABASE_URL: verifyFull(server.url, certificates.otherCaFile),
    });
    const response = await request(app.getHttpServer()).post('/loads/supplier').expect(503);
    assert.match(
      response.body.message,
      /^cannot connect for the load: (unable to verify the first certificate|unable to get local issuer certificate|self[- ]signed certificate).*not issued by the CA in sslrootcert/,
    );
  });
});

/** Turns TLS on in a running server: certificate files beside its data, `ssl = on`, reload. */
async function enableTls(url: string, dataDir: string, files: TestCertificates): Promise<void> {
  await copyFile(files.serverCertFile, join(dataDir, 'server.crt'));
  await copyFile(files.serverKeyFile, join(dataDir, 'server.key'));
  // PostgreSQL only accepts a private key readable by its owner alone: the server's user.
  await chmod(join(dataDir, 'server.key'), 0o600);
  if (userInfo().uid === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    for (const file of ['server.crt', 'server.key']) await chown(join(dataDir, file), uid, gid);
  }
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query('ALTER SYSTEM SET ssl = on');
    await admin.query('SELECT pg_reload_conf()');
  } finally {
    await admin.end();
  }
  // The reload is asynchronous: new connections see it once the postmaster has re-read the files.
  for (let attempt = 0; attempt < 50; attempt++) {
    const probe = new Client({ connectionString: url });
    await probe.connect();
    const { rows } = await probe.query<{ ssl: string }>('SHOW ssl');
    await probe.end();
    if (rows[0].ssl === 'on') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the server did not turn TLS on after a reload');
}
