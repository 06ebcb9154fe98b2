import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@des/shared';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../config';
import { parseTokens, resolveSecrets } from './secrets';

describe('secrets', () => {
  let dir: string;
  before(async () => (dir = await mkdtemp(join(tmpdir(), 'banner-secrets-'))));
  after(() => rm(dir, { recursive: true, force: true }));

  it('refuses to start in production without the token and the cookie secret, naming both', () => {
    assert.throws(
      () => resolveSecrets(loadConfig({ NODE_ENV: 'production' }), join(dir, 'never.json')),
      (error: ConfigError) =>
        /BANNER_IMPORT_TOKEN: required in production/.test(error.message) &&
        /BANNER_COOKIE_SECRET: required in production/.test(error.message),
    );
  });

  it('outside production generates them once into a 0600 file and reuses them', async () => {
    const file = join(dir, 'secrets.json');
    const first = resolveSecrets(loadConfig({ NODE_ENV: 'development' }), file);
    const second = resolveSecrets(loadConfig({ NODE_ENV: 'development' }), file);
    assert.deepEqual(second.importTokens, first.importTokens);
    assert.equal(second.cookieSecret, first.cookieSecret);
    assert.deepEqual(first.generated, ['BANNER_IMPORT_TOKEN', 'BANNER_COOKIE_SECRET']);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    const given = resolveSecrets(
      loadConfig({
        NODE_ENV: 'production',
        BANNER_IMPORT_TOKEN: 'a'.repeat(20),
        BANNER_COOKIE_SECRET: 'b'.repeat(20),
      }),
      join(dir, 'never.json'),
    );
    assert.deepEqual([...given.importTokens], [['operator', 'a'.repeat(20)]]);
  });

  it('reads named tokens and refuses short or malformed ones', () => {
    assert.deepEqual(
      [...parseTokens('ci=0123456789abcdefgh,ops=abcdefghijklmnopqr')],
      [
        ['ci', '0123456789abcdefgh'],
        ['ops', 'abcdefghijklmnopqr'],
      ],
    );
    assert.throws(() => loadConfig({ BANNER_IMPORT_TOKEN: 'short' }), /BANNER_IMPORT_TOKEN/);
    assert.throws(
      () => loadConfig({ BANNER_FIXED_QUARTER: '5' }),
      /BANNER_FIXED_QUARTER: must be 1, 2, 3 or 4/,
    );
    assert.throws(() => loadConfig({ BANNER_TIME_ZONE: 'Mars/Base' }), /BANNER_TIME_ZONE/);
  });
});
