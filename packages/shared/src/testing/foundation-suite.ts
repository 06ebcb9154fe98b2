import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { findSchemaDrift } from '../database/data-source';
import { createTestDatabase, TestDatabase } from './fresh-database';
import { openApiProblems } from './openapi-completeness';

export interface FoundationSuiteOptions {
  app: string;
  /** Builds the app exactly as main.ts does, from an environment. */
  createApp(env: NodeJS.ProcessEnv): Promise<INestApplication>;
  /** Absolute path of the compiled main.js, started as a real process for the bad-environment cases. */
  mainPath: string;
  /** Whether the app publishes OpenAPI docs at /docs. */
  apiDocs: boolean;
  /** Further environment for the app under test. */
  env?: NodeJS.ProcessEnv;
}

/**
 * The behaviour every app promises (issue 2): health over HTTP against a real database, entities in
 * agreement with migrations, OpenAPI docs, correlation ids on errors, and a start-up that refuses a
 * bad environment naming the variable.
 */
export function foundationSuite(options: FoundationSuiteOptions): void {
  describe(`${options.app} foundation`, () => {
    let database: TestDatabase;
    let app: INestApplication;

    before(async () => {
      database = await createTestDatabase(options.app);
      app = await options.createApp({
        ...process.env,
        ...options.env,
        DATABASE_URL: database.url,
        LOG_LEVEL: 'silent',
      });
      await app.init();
    });

    after(async () => {
      await app?.close();
      await database?.drop();
    });

    it('GET /health reports the database up', async () => {
      const response = await request(app.getHttpServer()).get('/health').expect(200);
      assert.equal(response.body.status, 'ok');
      assert.equal(response.body.info.database.status, 'up');
    });

    it('has migrations that match its entities (no schema drift)', async () => {
      assert.deepEqual(await findSchemaDrift(app.get(DataSource)), []);
    });

    it('answers unknown routes with a JSON error carrying a correlation id', async () => {
      const response = await request(app.getHttpServer())
        .get('/no-such-route')
        .set('X-Request-Id', 'trace-123')
        .expect(404);
      assert.equal(response.body.statusCode, 404);
      assert.equal(response.body.correlationId, 'trace-123');
      assert.equal(response.headers['x-request-id'], 'trace-123');
    });

    if (options.apiDocs) {
      it('publishes OpenAPI docs at /docs', async () => {
        const response = await request(app.getHttpServer()).get('/docs/openapi.json').expect(200);
        assert.ok(Object.keys(response.body.paths).includes('/health'));
      });

      it('documents every operation: summary, success schema and example, error schemas', async () => {
        const response = await request(app.getHttpServer()).get('/docs/openapi.json').expect(200);
        assert.deepEqual(openApiProblems(response.body), []);
      });
    }

    for (const [variable, value] of [
      ['PORT', 'abc'],
      ['DATABASE_URL', 'not a url'],
      ['LOG_LEVEL', 'loud'],
    ] as const) {
      it(`refuses to start with ${variable}=${value}, naming the variable`, () => {
        const result = spawnSync(process.execPath, [options.mainPath], {
          env: { ...process.env, ...options.env, [variable]: value },
          encoding: 'utf8',
          timeout: 20_000,
        });
        assert.notEqual(result.status, 0);
        assert.match(result.stderr, new RegExp(`${variable}: `));
      });
    }
  });
}
