import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { INestApplication } from '@nestjs/common';
import { TestDatabase } from '@des/shared/testing';
import request from 'supertest';
import { createApp } from '../app';
import { Team } from '../auth/teams';
import { DEMO_MEMBERS_CSV } from '../demo/demo.service';
import {
  basic,
  createSalesTestDatabase,
  createTeamUsers,
  removeTeamUsers,
  TeamUser,
} from '../e2e-fixtures';
import { GeneratorService } from '../generator/generator.service';
import { MembersImportService } from '../members/members-import.service';

/**
 * Issue 22: plain report requests with a cached credential are answered ahead of the framework.
 * `If-None-Match` always goes to the framework, which makes the two paths comparable here; the
 * framework's answers carry `X-Powered-By`, the fast path's do not.
 */
describe('reports fast path', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let users: Record<Team, TeamUser>;
  const get = (team: Team, path: string, viaFramework = false) => {
    const call = request(app.getHttpServer()).get(path).set('Authorization', basic(users[team]));
    return viaFramework ? call.set('If-None-Match', '"none"') : call;
  };

  before(async () => {
    database = await createSalesTestDatabase('sales_fast_path');
    app = await createApp({ ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
    await app.init();
    users = await createTeamUsers(database.url);
    await app.get(MembersImportService).import(DEMO_MEMBERS_CSV);
    await app.get(GeneratorService).generate({ transactions: 300, seed: 5 });
  });

  after(async () => {
    await app?.close();
    if (users) await removeTeamUsers(database.url, users);
    await database?.drop();
  });

  it('answers exactly what the framework answers, once the credential is cached', async () => {
    await get('analytics', '/reports/top-members').expect(200); // first login: the framework
    for (const path of [
      '/reports/top-members',
      '/reports/top-members?limit=5',
      '/reports/top-items',
      '/reports/top-items?by=transactions&limit=100',
      '/reports/top-items?limit=1&by=quantity',
    ]) {
      const framework = await get('analytics', path, true).expect(200);
      const fast = await get('analytics', path).expect(200);
      assert.ok(framework.headers['x-powered-by'], path);
      assert.equal(fast.headers['x-powered-by'], undefined, `${path} was not answered ahead`);
      assert.ok(fast.body.length > 0, path);
      assert.deepEqual(fast.body, framework.body, path);
      assert.equal(fast.headers['content-type'], framework.headers['content-type']);
      assert.match(fast.headers['x-request-id'], /^[\w.-]+$/);
    }
  });

  it('leaves bad queries, wrong credentials and refusals to the framework', async () => {
    for (const [path, status] of [
      ['/reports/top-members?limit=0', 400],
      ['/reports/top-members?limit=05', 200], // the DTO reads it as 5; only plain spellings go ahead
      ['/reports/top-members?limit=101', 400],
      ['/reports/top-members?limit=5&limit=6', 400],
      ['/reports/top-members?by=quantity', 400],
      ['/reports/top-items?by=price', 400],
    ] as const) {
      const answer = await get('analytics', path).expect(status);
      assert.ok(answer.headers['x-powered-by'], path);
    }
    const wrong = await request(app.getHttpServer())
      .get('/reports/top-members')
      .set('Authorization', basic({ ...users.analytics, password: 'not-it' }))
      .expect(401);
    assert.ok(wrong.headers['www-authenticate']);
    // Logistics' credential is cached by its first (refused) request; the second one tries the
    // fast path, PostgreSQL refuses it, and the framework answers the same 403.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const refused = await get('logistics', '/reports/top-members').expect(403);
      assert.equal(refused.body.action, 'read the top-members report');
    }
  });
});
