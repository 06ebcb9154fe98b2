import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '@des/shared';
import { loadConfig, pipelinePaths } from './config';

describe('pipeline config', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    assert.equal(config.PIPELINE_CRON, '0 * * * *');
    assert.equal(config.PIPELINE_REFERENCE_DATE, '2022-01-01');
    assert.deepEqual(config.PIPELINE_EMAIL_ENDINGS, ['.com', '.net']);
    assert.match(pipelinePaths(config).incoming, /data\/applications\/incoming$/);
  });

  it('reads the stricter email reading and folder overrides', () => {
    const config = loadConfig({
      PIPELINE_EMAIL_ENDINGS: '@EmailProvider.com, @emailprovider.net',
      PIPELINE_DATA_DIR: '/srv/apps',
      PIPELINE_FAILED_DIR: '/srv/out/failed',
    });
    assert.deepEqual(config.PIPELINE_EMAIL_ENDINGS, ['@emailprovider.com', '@emailprovider.net']);
    assert.equal(pipelinePaths(config).successful, '/srv/apps/successful');
    assert.equal(pipelinePaths(config).failed, '/srv/out/failed');
  });

  it('names every bad variable at once', () => {
    assert.throws(
      () =>
        loadConfig({
          PIPELINE_CRON: 'every hour',
          PIPELINE_REFERENCE_DATE: '2022-02-30',
          PIPELINE_EMAIL_ENDINGS: 'com',
        }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /PIPELINE_CRON: /.test(error.message) &&
        /PIPELINE_REFERENCE_DATE: /.test(error.message) &&
        /PIPELINE_EMAIL_ENDINGS: /.test(error.message),
    );
    assert.equal(loadConfig({ PIPELINE_CRON: 'off' }).PIPELINE_CRON, 'off');
  });
});
