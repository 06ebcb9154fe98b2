import { join } from 'node:path';
import { foundationSuite } from '@des/shared/testing';
import { createApp } from './app';

foundationSuite({
  app: 'warehouse',
  createApp,
  mainPath: join(__dirname, 'main.js'),
  apiDocs: true,
  env: { WAREHOUSE_SUPPLIER_CRON: 'off' },
});
