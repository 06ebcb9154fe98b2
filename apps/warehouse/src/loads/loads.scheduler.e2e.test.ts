import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { SchedulerRegistry } from '@nestjs/schedule';
import { WarehouseFixture } from '../testing/warehouse-fixture';

describe('the schedule: one cron per job, from the environment', () => {
  const fixture = new WarehouseFixture();
  after(() => fixture.stop());

  it('schedules each job with its own variable (WAREHOUSE_SUPPLIER_CRON, WAREHOUSE_ORGANIC_SHARE_CRON)', async () => {
    await fixture.start({
      WAREHOUSE_SUPPLIER_CRON: '15 3 * * *',
      WAREHOUSE_ORGANIC_SHARE_CRON: '0 6 * * 1',
    });
    const registry = fixture.app.get(SchedulerRegistry);
    const supplier = registry.getCronJob('warehouse-supplier');
    assert.equal(supplier.cronTime.source, '15 3 * * *');
    assert.equal(supplier.isActive, true);
    const organicShare = registry.getCronJob('warehouse-organic-share');
    assert.equal(organicShare.cronTime.source, '0 6 * * 1');
    assert.equal(organicShare.isActive, true);
  });

  it('schedules nothing with "off"', async () => {
    await fixture.restart({ WAREHOUSE_SUPPLIER_CRON: 'off', WAREHOUSE_ORGANIC_SHARE_CRON: 'off' });
    assert.deepEqual([...fixture.app.get(SchedulerRegistry).getCronJobs().keys()], []);
  });
});
