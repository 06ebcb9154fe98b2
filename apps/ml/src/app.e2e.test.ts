import { join } from 'node:path';
import { foundationSuite, fuzzSuite } from '@des/shared/testing';
import { createApp } from './app';

foundationSuite({
  app: 'ml',
  createApp,
  mainPath: join(__dirname, 'main.js'),
  apiDocs: true,
});

fuzzSuite({ app: 'ml', createApp });
