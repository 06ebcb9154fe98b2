import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SalesDbConfig } from '../config';
import { AuthService } from './auth.service';
import { CredentialsRepository, StoredCredential } from './credentials.repository';
import * as password from './password';

/** An AuthService with a 1 s cache over a stored row the test replaces (`sales.api_users`). */
function serviceWith(stored: { current?: StoredCredential }): AuthService {
  const credentials = { find: async () => stored.current } as unknown as CredentialsRepository;
  const config = {
    SALES_AUTH_CACHE_SECONDS: 1,
    SALES_AUTH_MAX_FAILURES: 10,
    SALES_AUTH_FAILURE_WINDOW_SECONDS: 300,
  } as SalesDbConfig;
  return new AuthService(credentials, config);
}

/** Waits (real time) for a background refresh to reach `done`. */
async function until(done: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 500 && !done(); attempt += 1) await sleep(10);
  assert.ok(done(), 'the background refresh finished');
}

describe('AuthService credential cache (issue 22 §3)', () => {
  it('refreshes an unchanged credential without scrypt, and checks a changed or removed one again', async () => {
    const stored: { current?: StoredCredential } = {
      current: { team: 'analytics', passwordHash: await password.hashPassword('s3cret') },
    };
    const auth = serviceWith(stored);
    const scrypt = mock.method(password, 'verifyPassword');
    mock.timers.enable({ apis: ['Date'], now: 1_000_000 });
    const cached = () => auth.cachedUser('ana', 's3cret', '127.0.0.1');
    try {
      const user = await auth.authenticate('ana', 's3cret', '127.0.0.1');
      assert.equal(scrypt.mock.callCount(), 1);

      // Past 80% of the 1 s lifetime: answered from the cache and refreshed in the background,
      // by reading the stored hash only.
      mock.timers.tick(850);
      assert.equal(cached(), user);
      await sleep(20);
      assert.equal(scrypt.mock.callCount(), 1, 'the stored hash was unchanged: no scrypt');
      mock.timers.tick(900); // 1.75 s after the check: still cached, the refresh renewed it
      assert.equal(cached(), user);
      await sleep(20);

      // A new hash (the same password set again, with a new salt): scrypt checks it again.
      stored.current = { team: 'analytics', passwordHash: await password.hashPassword('s3cret') };
      mock.timers.tick(850);
      cached();
      await until(() => scrypt.mock.callCount() === 2);
      await until(() => cached()?.credential === stored.current?.passwordHash);

      // Removed: the refresh fails and the credential leaves the cache.
      stored.current = undefined;
      mock.timers.tick(850);
      cached();
      await until(() => cached() === undefined);
      await assert.rejects(auth.authenticate('ana', 's3cret', '127.0.0.1'), /Unknown user/);
    } finally {
      mock.timers.reset();
      scrypt.mock.restore();
    }
  });
});
