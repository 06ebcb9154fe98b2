import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OpenAPIObject } from '@nestjs/swagger';
import { openApiProblems } from './openapi-completeness';

const error = {
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
};
const documentWith = (operation: object): OpenAPIObject => ({
  openapi: '3.0.0',
  info: { title: 't', version: '1' },
  components: {
    schemas: {
      Run: { type: 'object', properties: { id: { type: 'integer', example: 7 } } },
      Bare: { type: 'object', properties: { id: { type: 'integer' } } },
      ErrorBody: { type: 'object' },
    },
  },
  paths: { '/runs': { get: operation as OpenAPIObject['paths'][string]['get'] } },
});

describe('openApiProblems', () => {
  it('accepts an operation with a summary, a 2xx schema with an example and error schemas', () => {
    const complete = {
      summary: 'List runs',
      responses: {
        200: {
          content: {
            'application/json': {
              schema: { type: 'array', items: { $ref: '#/components/schemas/Run' } },
            },
          },
        },
        400: error,
      },
    };
    assert.deepEqual(openApiProblems(documentWith(complete)), []);
  });

  it('names every gap of an incomplete operation', () => {
    const bare = {
      responses: {
        200: { description: '' },
        404: { description: 'no such run' },
      },
      requestBody: {
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Bare' } } },
      },
    };
    assert.deepEqual(openApiProblems(documentWith(bare)), [
      'GET /runs: no summary',
      'GET /runs: 200 response has no schema',
      'GET /runs: 404 response has no schema',
      'GET /runs: request body has no example',
    ]);
  });

  it('wants a success answer, an example for it and declared errors', () => {
    const noSuccess = { summary: 's', responses: { 500: error } };
    assert.deepEqual(openApiProblems(documentWith(noSuccess)), [
      'GET /runs: no success (2xx) response',
    ]);
    const noExample = {
      summary: 's',
      responses: {
        201: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Bare' } } } },
      },
    };
    assert.deepEqual(openApiProblems(documentWith(noExample)), [
      'GET /runs: 201 response has no example',
      'GET /runs: no error responses declared',
    ]);
    const noContent = { summary: 's', responses: { 204: { description: 'done' }, 500: error } };
    assert.deepEqual(openApiProblems(documentWith(noContent)), []);
  });
});
