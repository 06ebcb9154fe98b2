import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { WarehouseFixture } from '../testing/warehouse-fixture';
import { OrganicShareDemoService } from './organic-share-demo.service';

describe('organic-share demo data (DEMO_DATA=true)', () => {
  const fixture = new WarehouseFixture();
  before(() => fixture.start({ DEMO_DATA: 'true' }));
  after(async () => {
    await fixture.demoLoadsDone();
    await fixture.stop();
  });

  const runs = () =>
    fixture.query<{ trigger: string; outcome: string; delivery: string }>(
      `SELECT trigger, outcome, to_char(delivery, 'YYYYMMDD') AS delivery FROM warehouse.load_runs
       WHERE job = 'organic-share' ORDER BY id`,
    );

  it('loads the shipped sample on first start, so GET /organic-share has the three countries', async () => {
    for (let i = 0; i < 100 && (await runs()).length === 0; i++) await sleep(100);
    assert.deepEqual(await runs(), [{ trigger: 'demo', outcome: 'loaded', delivery: '20211214' }]);
    const { body } = await request(fixture.app.getHttpServer()).get('/organic-share').expect(200);
    const countries = new Set(
      (body.weeks as Array<{ country: string }>).map((week) => week.country),
    );
    assert.deepEqual([...countries], ['FR', 'GB', 'IT']);
  });

  it('does nothing on a later start, once the job has loaded something', async () => {
    await fixture.app.get(OrganicShareDemoService).loadOnce();
    assert.equal((await runs()).length, 1);
  });
});
