import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RunsScheduler } from './runs.scheduler';
import type { RunsService } from './runs.service';

describe('RunsScheduler', () => {
  it('skips ticks while the scheduled run is still going, then runs again', async () => {
    let started = 0;
    let finish = () => {};
    const runs = {
      run: () => {
        started += 1;
        return new Promise<void>((resolve) => (finish = resolve));
      },
    } as unknown as RunsService;
    const scheduler = new RunsScheduler(
      { PIPELINE_CRON: 'off' } as never,
      runs,
      undefined as never,
      undefined as never,
      undefined as never,
      undefined as never,
    );
    const first = scheduler.tick();
    void scheduler.tick();
    void scheduler.tick();
    assert.equal(started, 1);
    finish();
    await first;
    void scheduler.tick();
    assert.equal(started, 2);
    finish();
  });
});
