import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { INestApplication } from '@nestjs/common';
import { TestDatabase } from '@des/shared/testing';
import { DataSource } from 'typeorm';
import { createApp } from '../app';
import { DemoService } from './demo.service';
import { createSalesTestDatabase } from '../e2e-fixtures';

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
});
