import { join } from 'node:path';
import { foundationSuite } from '@des/shared/testing';
import { createApp } from './app';

foundationSuite({
  app: 'ml',
  createApp,
  mainPath: join(__dirname, 'main.js'),
  apiDocs: true,
});
