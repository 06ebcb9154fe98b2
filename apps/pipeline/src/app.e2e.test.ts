import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { foundationSuite, fuzzSuite } from '@des/shared/testing';
import { createApp } from './app';

const env = {
  PIPELINE_CRON: 'off',
  PIPELINE_DATA_DIR: join(tmpdir(), `pipeline-foundation-${process.pid}`),
};

foundationSuite({
  app: 'pipeline',
  createApp,
  mainPath: join(__dirname, 'main.js'),
  apiDocs: true,
  env,
});

fuzzSuite({ app: 'pipeline', createApp, env });
