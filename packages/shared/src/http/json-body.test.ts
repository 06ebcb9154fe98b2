import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequestException } from '@nestjs/common';
import { exceedsJsonDepth, isJsonContentType, parseJsonBody } from './json-body';

describe('exceedsJsonDepth', () => {
  it('counts objects and arrays alike, up to the limit inclusive', () => {
    assert.equal(exceedsJsonDepth('{"a":[{"b":[]}]}', 4), false);
    assert.equal(exceedsJsonDepth('{"a":[{"b":[]}]}', 3), true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    assert.equal(exceedsJsonDepth(JSON.stringify({ text: '[[[[{{{{"\\' }), 1), false);
    assert.equal(exceedsJsonDepth('["\\"[[[[["]', 1), false);
  });

  it('refuses the 20,000-deep array of the issue without recursing', () => {
    assert.equal(exceedsJsonDepth('['.repeat(20_000) + ']'.repeat(20_000), 32), true);
  });
});

describe('parseJsonBody', () => {
  it('parses JSON and answers 400 for truncated or deep documents', () => {
    assert.deepEqual(parseJsonBody('{"a":1}'), { a: 1 });
    assert.throws(() => parseJsonBody('{"a":'), BadRequestException);
    assert.throws(() => parseJsonBody('[[[]]]', 2), /nests deeper than 2 levels/);
  });
});

describe('isJsonContentType', () => {
  for (const header of [
    'application/json',
    'application/json; charset=utf-8',
    'APPLICATION/JSON;charset="UTF-8"',
    'application/merge-patch+json',
  ]) {
    it(`takes ${header}`, () => assert.equal(isJsonContentType(header), true));
  }
  for (const header of [
    undefined,
    '',
    'text/plain',
    'application/xml',
    'application/json; charset=latin1',
    'application/jsonp',
    'multipart/form-data; boundary=x',
  ]) {
    it(`refuses ${String(header)}`, () => assert.equal(isJsonContentType(header), false));
  }
});
