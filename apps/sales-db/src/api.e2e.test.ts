import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { INestApplication } from '@nestjs/common';
import { TestDatabase } from '@des/shared/testing';
import request from 'supertest';
import { createApp } from './app';
import { Team } from './auth/teams';
import { DEMO_MEMBERS_CSV } from './demo/demo.service';
import {
  basic,
  createSalesTestDatabase,
  createTeamUsers,
  removeTeamUsers,
  TeamUser,
} from './e2e-fixtures';
import { MembersImportService } from './members/members-import.service';

/**
 * The REST API end to end. The app's request pool logs in as its own plain (non-superuser) login
 * that only belongs to the app role, so every allow and every 403 below comes from PostgreSQL.
 */
describe('sales-db REST API', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let users: Record<Team, TeamUser>;
  const itemIds: number[] = [];
  let transactionId: number;

  const as = (team: Team | undefined) => {
    const agent = request(app.getHttpServer());
    const auth = (test: request.Test) =>
      team ? test.set('Authorization', basic(users[team])) : test;
    return {
      get: (path: string) => auth(agent.get(path)),
      post: (path: string, body?: object) => auth(agent.post(path)).send(body),
      patch: (path: string, body: object) => auth(agent.patch(path)).send(body),
      delete: (path: string) => auth(agent.delete(path)),
    };
  };
  const forbidden = (response: request.Response, action: string) => {
    assert.equal(response.status, 403, JSON.stringify(response.body));
    assert.equal(response.body.action, action);
    assert.match(response.body.message, /permission denied/);
  };

  before(async () => {
    database = await createSalesTestDatabase('sales_api');
    app = await createApp({ ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
    await app.init(); // runs the migrations and creates the API's own login
    users = await createTeamUsers(database.url);
    await app.get(MembersImportService).import(DEMO_MEMBERS_CSV);
  });

  after(async () => {
    await app?.close();
    if (users) await removeTeamUsers(database.url, users);
    await database?.drop();
  });

  it('requires the credentials of a sales-db user', async () => {
    const none = await as(undefined).get('/items').expect(401);
    assert.match(String(none.headers['www-authenticate']), /Basic/);
    await request(app.getHttpServer())
      .get('/items')
      .set('Authorization', basic({ ...users.sales, password: 'wrong' }))
      .expect(401);
  });

  it('POST /items: sales creates; 400 per field; 409 duplicate; 403 for others', async () => {
    for (const [name, cost, weightKg] of [
      ['Kettle', 20, 1.2],
      ['Mug', 4.5, 0.3],
      ['Lamp', 35, 2],
    ] as const) {
      const created = await as('sales')
        .post('/items', { name, manufacturer: 'Acme', cost, weightKg })
        .expect(201);
      assert.equal(created.body.cost, cost);
      itemIds.push(created.body.id);
    }
    const bad = await as('sales')
      .post('/items', { name: '', cost: -1, weightKg: 0, extra: 1 })
      .expect(400);
    const fields = bad.body.errors.map((e: { field: string }) => e.field).sort();
    assert.deepEqual(fields, ['cost', 'extra', 'manufacturer', 'name', 'weightKg']);
    await as('sales')
      .post('/items', { name: 'Kettle', manufacturer: 'Acme', cost: 1, weightKg: 1 })
      .expect(409);
    for (const team of ['logistics', 'analytics', 'checkout'] as const) {
      forbidden(
        await as(team).post('/items', { name: 'X', manufacturer: 'Y', cost: 1, weightKg: 1 }),
        'create items',
      );
    }
  });

  it('GET /items: every team reads the catalogue', async () => {
    for (const team of ['logistics', 'analytics', 'sales', 'checkout'] as const) {
      const list = await as(team).get('/items').expect(200);
      assert.deepEqual(
        list.body.map((i: { id: number }) => i.id),
        itemIds,
      );
    }
    await as('sales').get('/items?limit=0').expect(400);
  });

  it('POST /transactions: checkout records with prices from the items; 400; 403', async () => {
    const created = await as('checkout')
      .post('/transactions', {
        memberId: 1,
        items: [
          { itemId: itemIds[0], quantity: 2 },
          { itemId: itemIds[1], quantity: 1 },
        ],
      })
      .expect(201);
    transactionId = created.body.id;
    assert.equal(created.body.status, 'pending');
    assert.equal(created.body.totalPrice, 44.5);
    assert.equal(created.body.totalWeightKg, 2.7);
    assert.equal(created.body.lines[0].unitPrice, 20);
    const bad = await as('checkout')
      .post('/transactions', { memberId: 999999, items: [{ itemId: 999999, quantity: 1 }] })
      .expect(400);
    assert.deepEqual(
      bad.body.errors.map((e: { field: string }) => e.field),
      ['memberId', 'items.0.itemId'],
    );
    const invalid = await as('checkout')
      .post('/transactions', { memberId: 'x', items: [] })
      .expect(400);
    assert.deepEqual(invalid.body.errors.map((e: { field: string }) => e.field).sort(), [
      'items',
      'memberId',
    ]);
    for (const team of ['logistics', 'analytics', 'sales'] as const) {
      forbidden(
        await as(team).post('/transactions', {
          memberId: 1,
          items: [{ itemId: itemIds[0], quantity: 1 }],
        }),
        'record transactions',
      );
    }
  });

  it('GET /transactions?status=pending lists with total weights; 400; 403 for sales', async () => {
    const list = await as('logistics').get('/transactions?status=pending').expect(200);
    assert.equal(list.body.length, 1);
    assert.equal(list.body[0].totalWeightKg, 2.7);
    assert.equal(list.body[0].lines.length, 2);
    await as('logistics').get('/transactions?status=lost').expect(400);
    forbidden(await as('sales').get('/transactions?status=pending'), 'read transactions');
    forbidden(await as('sales').get(`/transactions/${transactionId}`), 'read transactions');
    await as('logistics').get('/transactions/999999').expect(404);
  });

  it('PATCH /items/:id changes the price without touching past transactions; 404; 403', async () => {
    const patched = await as('sales').patch(`/items/${itemIds[0]}`, { cost: 25 }).expect(200);
    assert.equal(patched.body.cost, 25);
    const past = await as('analytics').get(`/transactions/${transactionId}`).expect(200);
    assert.equal(past.body.totalPrice, 44.5);
    await as('sales').patch('/items/999999', { cost: 1 }).expect(404);
    await as('sales').patch(`/items/${itemIds[0]}`, { cost: 'free' }).expect(400);
    forbidden(await as('analytics').patch(`/items/${itemIds[0]}`, { cost: 1 }), 'update items');
  });

  it('POST /transactions/:id/complete: logistics only; 404; 409 when already completed', async () => {
    forbidden(
      await as('checkout').post(`/transactions/${transactionId}/complete`),
      'complete transactions',
    );
    forbidden(
      await as('analytics').post(`/transactions/${transactionId}/complete`),
      'complete transactions',
    );
    const done = await as('logistics').post(`/transactions/${transactionId}/complete`).expect(200);
    assert.equal(done.body.status, 'completed');
    assert.ok(done.body.completedAt);
    await as('logistics').post(`/transactions/${transactionId}/complete`).expect(409);
    await as('logistics').post('/transactions/999999/complete').expect(404);
  });

  it('DELETE /items/:id retires; a hard delete only for items never sold; 404; 403', async () => {
    forbidden(await as('logistics').delete(`/items/${itemIds[2]}`), 'retire items');
    await as('sales').delete(`/items/${itemIds[0]}?hard=true`).expect(409);
    const retired = await as('sales').delete(`/items/${itemIds[0]}`).expect(200);
    assert.ok(retired.body.retiredAt);
    await as('sales').delete(`/items/${itemIds[2]}?hard=true`).expect(200);
    await as('sales').delete('/items/999999').expect(404);
    const live = await as('sales').get('/items').expect(200);
    assert.deepEqual(
      live.body.map((i: { id: number }) => i.id),
      [itemIds[1]],
    );
    await as('checkout')
      .post('/transactions', { memberId: 1, items: [{ itemId: itemIds[0], quantity: 1 }] })
      .expect(400);
  });

  it('GET /members/:id: analytics reads; shared membership ids are never merged; 404; 403', async () => {
    const member = await as('analytics').get('/members/1').expect(200);
    assert.equal(member.body.totalSpent, 44.5);
    const shared = await as('analytics').get('/members/Tan_5e0c4').expect(409);
    assert.equal(shared.body.memberIds.length, 2);
    const one = await as('analytics').get(`/members/${shared.body.memberIds[0]}`).expect(200);
    assert.deepEqual(one.body.sharesMembershipIdWith, [shared.body.memberIds[1]]);
    await as('analytics').get('/members/999999').expect(404);
    forbidden(await as('logistics').get('/members/1'), 'read members');
  });

  it('GET /reports/*: analytics only; limits validated', async () => {
    const top = await as('analytics').get('/reports/top-members?limit=10').expect(200);
    assert.deepEqual(
      top.body.map((m: { memberId: number }) => m.memberId),
      [1],
    );
    const items = await as('analytics')
      .get('/reports/top-items?limit=3&by=transactions')
      .expect(200);
    assert.deepEqual(
      items.body.map((i: { itemId: number }) => i.itemId),
      [itemIds[0], itemIds[1]],
    );
    await as('analytics').get('/reports/top-items?by=price').expect(400);
    await as('analytics').get('/reports/top-members?limit=0').expect(400);
    forbidden(await as('logistics').get('/reports/top-members'), 'read the top-members report');
    forbidden(await as('sales').get('/reports/top-items'), 'read the top-items report');
  });

  it('a removed user is refused at once, even with cached credentials', async () => {
    await as('analytics').get('/items').expect(200);
    await removeTeamUsers(database.url, { analytics: users.analytics } as Record<Team, TeamUser>);
    await as('analytics').get('/items').expect(401);
  });
});
