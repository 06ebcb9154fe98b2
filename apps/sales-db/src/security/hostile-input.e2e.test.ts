import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { INestApplication } from '@nestjs/common';
import { TestDatabase } from '@des/shared/testing';
import request from 'supertest';
import { createApp } from '../app';
import { Team } from '../auth/teams';
import {
  basic,
  createSalesTestDatabase,
  createTeamUsers,
  removeTeamUsers,
  TeamUser,
} from '../e2e-fixtures';

/** PostgreSQL's own wording, which must never reach a client. */
const SERVER_TEXT =
  /invalid input syntax|out of range for type|invalid byte sequence|violates|PostgreSQL/i;

/** Issue 24's sales-db findings: each was a 500, a PostgreSQL message, or a loose id before. */
describe('sales-db answers hostile input with a clear 400', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let users: Record<Team, TeamUser>;
  let itemId: number;
  const as = (team: Team) => {
    const agent = request(app.getHttpServer());
    const auth = (test: request.Test) => test.set('Authorization', basic(users[team]));
    return {
      get: (path: string) => auth(agent.get(path)),
      post: (path: string, body: object) => auth(agent.post(path)).send(body),
      patch: (path: string, body: object) => auth(agent.patch(path)).send(body),
    };
  };
  const badRequest = (response: request.Response, label: string) => {
    assert.equal(response.status, 400, `${label}: ${JSON.stringify(response.body)}`);
    assert.doesNotMatch(JSON.stringify(response.body), SERVER_TEXT, label);
  };

  before(async () => {
    database = await createSalesTestDatabase('sales_hostile');
    app = await createApp({ ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
    await app.init();
    users = await createTeamUsers(database.url);
    const created = await as('sales')
      .post('/items', { name: 'Kettle', manufacturer: 'Acme', cost: 10, weightKg: 1 })
      .expect(201);
    itemId = created.body.id;
  });

  after(async () => {
    await app?.close();
    if (users) await removeTeamUsers(database.url, users);
    await database?.drop();
  });

  it('a NUL in a body string is a 400 naming the field', async () => {
    const response = await as('sales').post('/items', {
      name: 'Ket\u0000tle',
      manufacturer: 'Acme',
      cost: 1,
      weightKg: 1,
    });
    badRequest(response, 'NUL in name');
    assert.match(JSON.stringify(response.body), /name/);
  });

  it('a NUL in /members/<id> is a 400', async () => {
    badRequest(await as('analytics').get('/members/Tan%00_5e0c4'), 'NUL in member id');
  });

  it('"cost": 1e-7 is a 400 (too many decimals), not a 500', async () => {
    for (const cost of [1e-7, 0.001, 1e21]) {
      badRequest(
        await as('sales').post('/items', {
          name: `P${cost}`,
          manufacturer: 'Acme',
          cost,
          weightKg: 1,
        }),
        `cost ${cost}`,
      );
    }
  });

  it('ids are decimal digits within the column range; anything else is a 400', async () => {
    for (const id of [
      '0x10',
      '+1',
      '007',
      `${itemId}.0`,
      `${itemId}e0`,
      '-1',
      '2147483648',
      '1%00',
    ]) {
      badRequest(await as('sales').patch(`/items/${id}`, { cost: 11 }), `PATCH /items/${id}`);
    }
    for (const id of ['0x10', '+1', '007', '1.0', '1e0', '9223372036854775808']) {
      badRequest(await as('analytics').get(`/transactions/${id}`), `GET /transactions/${id}`);
    }
    await as('sales').patch(`/items/${itemId}`, { cost: 11 }).expect(200);
  });
});
