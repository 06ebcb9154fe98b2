import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { INestApplication } from '@nestjs/common';
import { TestDatabase } from '@des/shared/testing';
import request from 'supertest';
import { createApp } from './app';
import { createSalesTestDatabase } from './e2e-fixtures';

interface Schema {
  $ref?: string;
  type?: string;
  items?: Schema;
  properties?: Record<string, Schema & { example?: unknown }>;
  example?: unknown;
}
interface Operation {
  summary?: string;
  responses: Record<string, { content?: Record<string, { schema?: Schema; example?: unknown }> }>;
}

/** Issue 18: every operation has a summary, documented answers with schemas, and examples. */
describe('sales-db OpenAPI document', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let document: {
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, Schema> };
  };

  before(async () => {
    database = await createSalesTestDatabase('sales_openapi');
    app = await createApp({ ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
    await app.init();
    document = (await request(app.getHttpServer()).get('/docs/openapi.json').expect(200)).body;
  });

  after(async () => {
    await app?.close();
    await database?.drop();
  });

  const resolve = (schema: Schema | undefined): Schema | undefined =>
    schema?.$ref
      ? document.components.schemas[schema.$ref.replace('#/components/schemas/', '')]
      : schema;

  /** An example for the whole answer, or one for each property of its (item) schema. */
  const hasExample = (content: { schema?: Schema; example?: unknown }): boolean => {
    if (content.example !== undefined || content.schema?.example !== undefined) return true;
    const schema = resolve(
      content.schema?.type === 'array' ? content.schema.items : content.schema,
    );
    const properties = Object.values(schema?.properties ?? {});
    return (
      properties.length > 0 &&
      properties.every(
        (property) =>
          property.example !== undefined ||
          property.$ref !== undefined ||
          property.type === 'array',
      )
    );
  };

  it('has a summary, a 2xx answer and error answers, each with a schema and an example, on every operation', () => {
    const problems: string[] = [];
    let operations = 0;
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        operations += 1;
        const name = `${method.toUpperCase()} ${path}`;
        if (!operation.summary?.trim()) problems.push(`${name}: no summary`);
        const codes = Object.keys(operation.responses);
        if (!codes.some((code) => code.startsWith('2'))) problems.push(`${name}: no 2xx answer`);
        if (!codes.some((code) => /^[45]/.test(code))) problems.push(`${name}: no error answer`);
        for (const code of codes) {
          const content = operation.responses[code].content?.['application/json'];
          if (!content?.schema) problems.push(`${name} ${code}: no schema`);
          else if (!hasExample(content)) problems.push(`${name} ${code}: no example`);
        }
      }
    }
    assert.equal(operations, 12);
    assert.deepEqual(problems, []);
  });
});
