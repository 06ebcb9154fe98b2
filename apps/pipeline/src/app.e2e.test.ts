import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { foundationSuite } from '@des/shared/testing';
import { createApp } from './app';

foundationSuite({
  app: 'pipeline',
  createApp,
  mainPath: join(__dirname, 'main.js'),
  apiDocs: true,
  env: {
    PIPELINE_CRON: 'off',
    PIPELINE_DATA_DIR: join(tmpdir(), `pipeline-foundation-${process.pid}`),
  },
});
