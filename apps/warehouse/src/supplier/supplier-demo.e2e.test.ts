import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { WarehouseFixture } from '../testing/warehouse-fixture';
import { SupplierDemoService } from './supplier-demo.service';

describe('the demo night on first start (DEMO_DATA=true)', () => {
  const fixture = new WarehouseFixture();
  before(() => fixture.start({ DEMO_DATA: 'true', WAREHOUSE_DEMO_SCALE: '0.05' }));
  after(async () => {
    await fixture.demoLoadsDone();
    await fixture.stop();
  });

  const supplierRuns = (): Promise<request.Response> =>
    request(fixture.app.getHttpServer()).get('/loads?job=supplier').expect(200);

  it('generates a night and loads it in the background', async () => {
    let runs: Array<{ trigger: string; outcome: string; rowsLoaded: number }> = [];
    for (let attempt = 0; attempt < 300 && runs.length === 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      runs = (await supplierRuns()).body.items;
    }
    assert.equal(runs.length, 1);
    assert.deepEqual(
      { trigger: runs[0].trigger, outcome: runs[0].outcome, rows: runs[0].rowsLoaded },
      { trigger: 'demo', outcome: 'loaded', rows: 500 },
    );
    const nights = await readdir(join(fixture.sourceDir, 'supplier'));
    assert.equal(nights.length, 1);
    assert.match(nights[0], /^\d{8}$/);
  });

  it('does nothing once a supplier run is recorded', async () => {
    await fixture.app.get(SupplierDemoService).loadDemoNight();
    assert.equal((await supplierRuns()).body.total, 1);
  });
});
