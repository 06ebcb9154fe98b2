import { join } from 'node:path';
import { foundationSuite, fuzzSuite } from '@des/shared/testing';
import request from 'supertest';
import { createApp } from './app';
import { csv, TEST_TOKEN } from './e2e-fixtures';

foundationSuite({
  app: 'banner-api',
  createApp,
  mainPath: join(__dirname, 'main.js'),
  apiDocs: true,
});

// Fuzzed with data (a 503 "no data yet" is a true answer, not a fault) and without the token:
// writes answer 401, so the fuzz cannot delete the data it reads.
fuzzSuite({
  app: 'banner-api',
  createApp,
  env: { BANNER_FIXED_QUARTER: '1', BANNER_IMPORT_TOKEN: TEST_TOKEN },
  prepare: async (app) => {
    await request(app.getHttpServer())
      .post('/imports')
      .set('Authorization', `Bearer ${TEST_TOKEN}`)
      .attach(
        'file',
        csv('banner_id,campaign_id', [
          [1, 7],
          [2, 7],
          [3, 7],
        ]),
        'impressions_1.csv',
      )
      .attach('file', csv('click_id,banner_id,campaign_id', [[1, 1, 7]]), 'clicks_1.csv')
      .attach('file', csv('conversion_id,click_id,revenue', [[1, 1, '2.50']]), 'conversions_1.csv')
      .expect(201);
  },
});
