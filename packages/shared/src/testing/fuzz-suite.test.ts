import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerProblems, fuzzOperations } from './fuzz-suite';
import { hostileRequests } from './hostile-requests';

const document = {
  paths: {
    '/items/{id}': {
      patch: {
        parameters: [{ name: 'id', in: 'path', schema: { type: 'integer', example: 7 } }],
        requestBody: {
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } },
        },
      },
    },
  },
  components: {
    schemas: {
      Item: {
        type: 'object',
        properties: { name: { type: 'string', example: 'Pen' }, cost: { type: 'number' } },
      },
    },
  },
};

describe('the fuzz suite', () => {
  it("reads each operation's path parameters and JSON body fields from the OpenAPI document", () => {
    assert.deepEqual(fuzzOperations(document), [
      {
        method: 'PATCH',
        path: '/items/{id}',
        parameters: [{ name: 'id', in: 'path', example: 7 }],
        bodyFields: { name: 'Pen', cost: 1 },
      },
    ]);
  });

  it('sends the same hostile requests for the same seed, covering the classes of issue 24', () => {
    const [operation] = fuzzOperations(document);
    const first = hostileRequests(operation!, 16, 24);
    assert.deepEqual(hostileRequests(operation!, 16, 24), first);
    assert.notDeepEqual(hostileRequests(operation!, 16, 25), first);
    const attacks = first.map((request) => request.attack).join('\n');
    for (const attack of [
      '20,000-deep JSON',
      'truncated JSON',
      'JSON as text/plain',
      'NUL in Basic user',
      '12 KB header',
      'bracketed parameters',
      'repeated parameters',
      'prototype pollution keys',
      'path id=%00',
      'path id=..%2F..%2F..%2Fetc%2Fpasswd',
    ]) {
      assert.ok(attacks.includes(attack), attack);
    }
    assert.ok(
      first.some((request) => request.path.startsWith('/items/7')),
      'well-formed id from the example',
    );
  });

  it('fails a 5xx, a slow small answer, a stack trace, SQL error text and a local folder', () => {
    const hostile = { method: 'GET', path: '/items/1', headers: {}, attack: 'x' };
    const ok = { status: 400, body: '{"message":"id: must be a whole number"}', ms: 5 };
    assert.deepEqual(answerProblems(hostile, ok, ['/srv/repo']), []);
    assert.deepEqual(answerProblems(hostile, { ...ok, status: 500 }, []), ['answered 500']);
    assert.deepEqual(answerProblems(hostile, { ...ok, ms: 2_500 }, []), ['took 2500 ms']);
    assert.deepEqual(
      answerProblems(hostile, { ...ok, body: 'Error: x\n    at f (/srv/repo/a.js:1:2)' }, []),
      ['stack trace in the answer'],
    );
    assert.deepEqual(
      answerProblems(hostile, { ...ok, body: 'invalid input syntax for type bigint: "x"' }, []),
      ['SQL error text in the answer: invalid input syntax for'],
    );
    assert.deepEqual(
      answerProblems(hostile, { ...ok, body: '{"source":"/srv/repo/apps/ml/model"}' }, [
        '/srv/repo',
      ]),
      ['local path /srv/repo in the answer'],
    );
  });
});
