import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LoginThrottle } from './login-throttle';

describe('LoginThrottle', () => {
  const make = () => {
    let now = 1_000_000;
    const throttle = new LoginThrottle({ maxFailures: 3, windowMs: 60_000 }, () => now);
    return { throttle, advance: (ms: number) => (now += ms) };
  };

  it('locks a user name after the limit, from any address, until the oldest failure expires', () => {
    const { throttle, advance } = make();
    throttle.recordFailure('ann', '10.0.0.1');
    advance(10_000);
    throttle.recordFailure('ann', '10.0.0.2');
    throttle.recordFailure('ann', '10.0.0.3');
    assert.equal(throttle.retryAfterSeconds('ann', '10.0.0.9'), 50);
    assert.equal(throttle.retryAfterSeconds('bob', '10.0.0.9'), 0);
    advance(50_001);
    assert.equal(throttle.retryAfterSeconds('ann', '10.0.0.9'), 0);
  });

  it('locks a client address after the limit, whatever names it tries', () => {
    const { throttle } = make();
    for (const name of ['a1', 'a2', 'a3']) throttle.recordFailure(name, '10.0.0.1');
    assert.equal(throttle.retryAfterSeconds('someone', '10.0.0.1'), 60);
    assert.equal(throttle.retryAfterSeconds('someone', '10.0.0.2'), 0);
  });

  it("a success clears the name's failures but not the address's", () => {
    const { throttle } = make();
    throttle.recordFailure('ann', '10.0.0.1');
    throttle.recordFailure('ann', '10.0.0.2');
    throttle.recordSuccess('ann');
    throttle.recordFailure('ann', '10.0.0.1');
    assert.equal(throttle.retryAfterSeconds('ann', '10.0.0.3'), 0);
  });
});
