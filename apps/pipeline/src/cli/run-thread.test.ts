import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runInThread } from './run-thread';

describe('runInThread', () => {
  it("rethrows the run thread's failure with its name and message (a bad setting here)", async () => {
    const saved = process.env.PIPELINE_MIN_AGE;
    process.env.PIPELINE_MIN_AGE = 'abc';
    try {
      // The thread copies the environment when it starts.
      const run = runInThread(() => assert.fail('no progress without a run'));
      await assert.rejects(run, (error: Error) => {
        assert.equal(error.name, 'ConfigError');
        assert.match(error.message, /PIPELINE_MIN_AGE/);
        return true;
      });
    } finally {
      if (saved === undefined) delete process.env.PIPELINE_MIN_AGE;
      else process.env.PIPELINE_MIN_AGE = saved;
    }
  });
});
