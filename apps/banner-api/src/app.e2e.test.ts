import { join } from 'node:path';
import { foundationSuite, fuzzSuite } from '@des/shared/testing';
import { createApp } from './app';

foundationSuite({
  app: 'banner-api',
  createApp,
  mainPath: join(__dirname, 'main.js'),
  apiDocs: true,
});

fuzzSuite({ app: 'banner-api', createApp });
