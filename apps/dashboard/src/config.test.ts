import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '@des/shared';
import { loadConfig } from './config';

describe('dashboard configuration', () => {
  it('is offline with a daily refresh by default', () => {
    const config = loadConfig({});
    assert.equal(config.COVID_API_URL, undefined);
    assert.equal(config.COVID_REFRESH_INTERVAL_MINUTES, 1440);
    assert.match(config.COVID_SNAPSHOT_DIR, /dashboard[/\\]data$/);
  });

  it('names every bad live-source variable at once', () => {
    assert.throws(
      () =>
        loadConfig({
          COVID_API_URL: 'ftp://example',
          COVID_REFRESH_INTERVAL_MINUTES: '0',
          COVID_API_RETRIES: 'many',
        }),
      (error: Error) =>
        error instanceof ConfigError &&
        /COVID_API_URL: must be an http\(s\) URL/.test(error.message) &&
        /COVID_REFRESH_INTERVAL_MINUTES: must be at least 1/.test(error.message) &&
        /COVID_API_RETRIES: /.test(error.message),
    );
  });
});
