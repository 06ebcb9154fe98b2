import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { INestApplication } from '@nestjs/common';
import { TestDatabase } from '@des/shared/testing';
import request from 'supertest';
import { createApp } from '../app';
import { UsersRepository } from '../auth/users.repository';
import { UsersService } from '../auth/users.service';
import { salesRoles, Team } from '../auth/teams';
import {
  basic,
  createSalesTestDatabase,
  createTeamUsers,
  removeTeamUsers,
  TeamUser,
  withClient,
} from '../e2e-fixtures';

const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64');

/** Issue 21 §2.2, §2.3 and §3, and issue 24's authentication input, over real HTTP. */
describe('the API logs in as itself, re-checks credentials and times out', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let users: Record<Team, TeamUser>;
  const top = (authorization: string) =>
    request(app.getHttpServer()).get('/reports/top-members').set('Authorization', authorization);

  before(async () => {
    database = await createSalesTestDatabase('sales_logins');
    app = await createApp({
      ...process.env,
      DATABASE_URL: database.url,
      LOG_LEVEL: 'silent',
      SALES_DB_POOL_SIZE: '2',
      SALES_DB_POOL_WAIT_MS: '300',
      SALES_DB_LOCK_TIMEOUT_MS: '300',
      SALES_DB_STATEMENT_TIMEOUT_MS: '2000',
    });
    await app.init();
    users = await createTeamUsers(database.url);
  });

  after(async () => {
    await app?.close();
    if (users) await removeTeamUsers(database.url, users);
    await database?.drop();
  });

  it('serves requests through its own least-privilege login and keeps no superuser connection', async () => {
    await top(basic(users.analytics)).expect(200);
    const roles = salesRoles(database.name);
    const [login] = await withClient(
      database.url,
      async (client) =>
        (
          await client.query(
            `SELECT r.rolsuper, r.rolcreaterole, r.rolcreatedb,
                  array(SELECT g.rolname::text FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                         WHERE m.member = r.oid) AS member_of
             FROM pg_roles r WHERE r.rolname = $1`,
            [roles.api],
          )
        ).rows,
    );
    assert.deepEqual(login, {
      rolsuper: false,
      rolcreaterole: false,
      rolcreatedb: false,
      member_of: [roles.app],
    });
    // The migration connection closes once idle (10 s); afterwards only the API login remains.
    let superusers: string[] = [];
    for (let attempt = 0; attempt < 30; attempt += 1) {
      superusers = await withClient(database.url, async (client) =>
        (
          await client.query<{ application_name: string }>(
            `SELECT a.application_name FROM pg_stat_activity a JOIN pg_roles r ON r.rolname = a.usename
              WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND r.rolsuper
                AND a.application_name LIKE 'sales-db%'`,
          )
        ).rows.map((row) => row.application_name),
      );
      if (superusers.length === 0) break;
      await sleep(500);
    }
    assert.deepEqual(superusers, []);
    await top(basic(users.analytics)).expect(200);
    const apiConnections = await withClient(database.url, async (client) =>
      (
        await client.query(
          `SELECT DISTINCT usename FROM pg_stat_activity
            WHERE datname = current_database() AND application_name LIKE 'sales-db-%'`,
        )
      ).rows.map((row) => row.usename),
    );
    assert.deepEqual(apiConnections, [roles.api]);
  });

  it("keeps its request connections through a quiet spell longer than pg's 10 s default", async () => {
    // Issue 22 §3: when the pool closed after 10 s idle, the next burst waited 200-300 ms.
    const apiBackends = () =>
      withClient(database.url, async (client) =>
        (
          await client.query<{ pid: number }>(
            `SELECT pid FROM pg_stat_activity
              WHERE datname = current_database() AND application_name = 'sales-db-api'
              ORDER BY pid`,
          )
        ).rows.map((row) => row.pid),
      );
    await Promise.all([top(basic(users.analytics)), top(basic(users.analytics))]);
    const before = await apiBackends();
    assert.ok(before.length > 0);
    await sleep(11_000);
    await top(basic(users.analytics)).expect(200);
    assert.deepEqual(await apiBackends(), before);
  });

  it('answers every malformed Authorization header with 401, before the database', async () => {
    for (const header of [
      `Basic ${b64(`${users.analytics.name}\0x:${users.analytics.password}`)}`, // NUL in the name
      `Basic ${b64(`${users.analytics.name}:pass\0word`)}`,
      `Basic ${b64('no-colon-here')}`,
      `Basic ${b64(':password-without-name')}`,
      'Basic !!!not-base64!!!',
      'Basic YWJj', // "abc": valid base64, no colon
      'Basic YWJjZA=', // wrong padding
      `Basic ${b64(Buffer.from([0xff, 0xfe, 0x3a, 0x41]))}`, // not UTF-8
      `Basic ${'QUFB'.repeat(2000)}`, // 8 KB
      `Basic ${b64(`${'n'.repeat(64)}:password`)}`, // longer than any role name
      'Bearer abc.def.ghi',
      'Basic',
    ]) {
      const response = await top(header);
      assert.equal(response.status, 401, header.slice(0, 60));
      assert.match(String(response.headers['www-authenticate']), /Basic/);
    }
  });

  it('a user dropped and created again with a new password loses the old one at once', async () => {
    const analyst = users.analytics;
    await top(basic(analyst)).expect(200); // verified and cached
    const fresh = await withClient(database.url, async (client) => {
      const service = new UsersService(new UsersRepository(client));
      await service.remove(analyst.name);
      return service.add('analytics', analyst.name);
    });
    users.analytics = { ...analyst, password: fresh.password };
    const old = await top(basic(analyst)).expect(401);
    assert.match(old.body.message, /changed or were removed/);
    await top(basic(users.analytics)).expect(200);
  });

  it('answers 503 with Retry-After while the tables are locked, and /health still answers', async () => {
    await top(basic(users.analytics)).expect(200);
    await withClient(database.url, async (locker) => {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE sales.member_spending IN ACCESS EXCLUSIVE MODE');
      try {
        const answers = await Promise.all(
          Array.from({ length: 6 }, () => top(basic(users.analytics))),
        );
        for (const answer of answers) {
          assert.equal(answer.status, 503, JSON.stringify(answer.body));
          assert.match(answer.body.message, /database is busy/);
          assert.ok(Number(answer.headers['retry-after']) > 0);
        }
        const health = await request(app.getHttpServer()).get('/health').expect(200);
        assert.equal(health.body.details.database.status, 'up');
      } finally {
        await locker.query('ROLLBACK');
      }
    });
    await top(basic(users.analytics)).expect(200);
  });

  it('/health says the request pool is degraded while requests queue for a connection', async () => {
    await withClient(database.url, async (locker) => {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE sales.member_spending IN ACCESS EXCLUSIVE MODE');
      try {
        const waiting = Array.from({ length: 6 }, () => top(basic(users.analytics)).then());
        await sleep(100);
        const health = await request(app.getHttpServer()).get('/health').expect(200);
        assert.equal(health.body.status, 'degraded', JSON.stringify(health.body));
        assert.equal(health.body.details.requestPool.status, 'degraded');
        await Promise.all(waiting);
      } finally {
        await locker.query('ROLLBACK');
      }
    });
  });
});

describe('failed logins are throttled', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let users: Record<Team, TeamUser>;

  before(async () => {
    database = await createSalesTestDatabase('sales_throttle');
    app = await createApp({
      ...process.env,
      DATABASE_URL: database.url,
      LOG_LEVEL: 'silent',
      SALES_AUTH_MAX_FAILURES: '3',
      SALES_AUTH_FAILURE_WINDOW_SECONDS: '60',
    });
    await app.init();
    users = await createTeamUsers(database.url);
  });

  after(async () => {
    await app?.close();
    if (users) await removeTeamUsers(database.url, users);
    await database?.drop();
  });

  it('answers 429 with Retry-After after too many failures, even to the right password', async () => {
    const get = (user: TeamUser) =>
      request(app.getHttpServer()).get('/items').set('Authorization', basic(user));
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await get({ ...users.sales, password: `wrong${attempt}` }).expect(401);
    }
    const refused = await get(users.sales).expect(429);
    const retryAfter = Number(refused.headers['retry-after']);
    assert.ok(retryAfter > 0 && retryAfter <= 60, String(retryAfter));
    assert.match(refused.body.message, /Too many failed logins/);
    // Unknown names count too (and cost a dummy scrypt, like a wrong password).
    await get({ ...users.sales, name: 'nobody_here' }).expect(429);
  });
});
