import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { PipelineFixture } from './testing/pipeline-fixture';

interface Operation {
  summary?: string;
  responses: Record<string, { content?: Record<string, { schema?: unknown; example?: unknown }> }>;
}

/** Issue 18: every operation documents a summary, its answers with schemas, and examples. */
describe('the pipeline OpenAPI document', () => {
  let fixture: PipelineFixture;
  let app: INestApplication;

  before(async () => {
    fixture = await PipelineFixture.create('pipeline_openapi');
    app = await fixture.start();
  });

  after(() => fixture?.dispose());

  it('gives every runs operation a summary, a 2xx and error answers with schemas and examples', async () => {
    const { body } = await request(app.getHttpServer()).get('/docs/openapi.json').expect(200);
    const paths = body.paths as Record<string, Record<string, Operation>>;
    const operations = Object.entries(paths)
      .filter(([path]) => path.startsWith('/runs'))
      .flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, operation]) => ({
          name: `${method} ${path}`,
          operation,
        })),
      );
    assert.equal(operations.length, 3);
    for (const { name, operation } of operations) {
      assert.ok(operation.summary, `${name}: no summary`);
      const statuses = Object.keys(operation.responses);
      assert.ok(
        statuses.some((status) => status.startsWith('2')),
        `${name}: no 2xx answer`,
      );
      assert.ok(statuses.includes('400'), `${name}: no 400 answer`);
      for (const status of statuses) {
        const json = operation.responses[status].content?.['application/json'];
        assert.ok(json?.schema, `${name} ${status}: no schema`);
        assert.ok(json?.example, `${name} ${status}: no example`);
      }
    }
  });
});
