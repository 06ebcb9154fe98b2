import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { INestApplication } from '@nestjs/common';
import { TestDatabase } from '@des/shared/testing';
import { DataSource } from 'typeorm';
import request from 'supertest';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config';
import { SalesDatabase } from '../database/sales-database';
import { TEAMS } from '../auth/teams';
import { createApp } from '../app';
import { DemoService } from './demo.service';
import { DemoLoginsService, demoLoginName } from './demo-logins.service';
import { createSalesTestDatabase, withClient } from '../e2e-fixtures';

describe('demo data (npm start, DEMO_DATA=true)', () => {
  let database: TestDatabase;
  let app: INestApplication;

  before(async () => {
    database = await createSalesTestDatabase('sales_demo');
    // Started with DEMO_DATA off so the test, not the background start-up hook, drives load().
    app = await createApp({
      ...process.env,
      DATABASE_URL: database.url,
      DEMO_DATA: 'false',
      SALES_DEMO_TRANSACTIONS: '60',
      SALES_MEMBERS_DIR: '/nonexistent/pipeline/successful',
      LOG_LEVEL: 'silent',
    });
    await app.init();
  });

  after(async () => {
    await app?.close();
    await database?.drop();
  });

  it('loads the shipped members, the catalogue and transactions once; a second start reuses them', async () => {
    const counts = async () =>
      (
        await app.get(DataSource).query(
          `SELECT (SELECT count(*) FROM sales.members)::int AS members,
                  (SELECT count(*) FROM sales.items)::int AS items,
                  (SELECT count(*) FROM sales.transactions)::int AS transactions`,
        )
      )[0];
    await app.get(DemoService).load();
    const first = await counts();
    assert.deepEqual(first, { members: 42, items: 640, transactions: 60 });
    await app.get(DemoService).load();
    assert.deepEqual(await counts(), first);
  });

  it('makes one login per team on the first demo start, written to a 0600 file; none in production', async () => {
    const demoUsers = async () =>
      (
        await app
          .get(DataSource)
          .query('SELECT name FROM sales.api_users WHERE name = ANY($1) ORDER BY name', [
            TEAMS.map(demoLoginName),
          ])
      ).map((row: { name: string }) => row.name);
    // This app has an external DATABASE_URL: no default passwords unless asked for.
    assert.equal(app.get(DemoLoginsService).enabled, false);
    assert.deepEqual(await demoUsers(), []);

    const dir = await mkdtemp(join(tmpdir(), 'sales-demo-logins-'));
    const file = join(dir, 'sales-db-demo-logins.txt');
    const config = loadConfig({
      ...process.env,
      DATABASE_URL: database.url,
      SALES_DEMO_LOGINS: 'true',
      SALES_DEMO_LOGINS_FILE: file,
    });
    const logins = new DemoLoginsService(config, app.get(SalesDatabase));
    try {
      const created = await logins.ensure();
      assert.deepEqual(
        created.map((login) => login.team),
        [...TEAMS],
      );
      assert.equal((await stat(file)).mode & 0o777, 0o600);
      const lines = (await readFile(file, 'utf8')).trim().split('\n');
      assert.deepEqual(
        lines.map((line) => line.split('\t').slice(0, 2)),
        TEAMS.map((team) => [team, demoLoginName(team)]),
      );
      // The printed login works as the README's curl does.
      const [, user, password] = lines[TEAMS.indexOf('analytics')].split('\t');
      const top = await request(app.getHttpServer())
        .get('/reports/top-members?limit=3')
        .auth(user, password)
        .expect(200);
      assert.equal(top.body.length, 3);
      // A second start creates nothing and leaves the file as it is.
      assert.deepEqual(await logins.ensure(), []);
      assert.equal((await readFile(file, 'utf8')).trim().split('\n').length, TEAMS.length);
    } finally {
      await withClient(database.url, async (client) => {
        for (const name of await demoUsers()) {
          await client.query('DELETE FROM sales.api_users WHERE name = $1', [name]);
          await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(name)}`);
        }
      });
      await rm(dir, { recursive: true, force: true });
    }
  });
});
