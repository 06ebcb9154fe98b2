import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { SchedulerRegistry } from '@nestjs/schedule';
import { WarehouseFixture } from '../testing/warehouse-fixture';

describe('the schedule: one cron per job, from the environment', () => {
  const fixture = new WarehouseFixture();
  after(() => fixture.stop());

  it('schedules the supplier load with WAREHOUSE_SUPPLIER_CRON', async () => {
    await fixture.start({ WAREHOUSE_SUPPLIER_CRON: '15 3 * * *' });
    const job = fixture.app.get(SchedulerRegistry).getCronJob('warehouse-supplier');
    assert.equal(job.cronTime.source, '15 3 * * *');
    assert.equal(job.isActive, true);
  });

  it('schedules nothing with "off"', async () => {
    await fixture.restart({ WAREHOUSE_SUPPLIER_CRON: 'off' });
    assert.deepEqual([...fixture.app.get(SchedulerRegistry).getCronJobs().keys()], []);
  });
});
