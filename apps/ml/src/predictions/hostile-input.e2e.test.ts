import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startTestApp, TestApp } from '../e2e-app';

/** Issue 24's findings on the ml service, each of which answered wrongly before the front door. */
describe('POST /predictions with hostile bodies', () => {
  let started: TestApp;
  let app: INestApplication;

  before(async () => {
    started = await startTestApp();
    app = started.app;
    await app.init();
  });

  after(() => started?.close());

  const post = (body: string, contentType?: string) => {
    const pending = request(app.getHttpServer()).post('/predictions');
    return (contentType ? pending.set('Content-Type', contentType) : pending).send(body);
  };

  it('answers a 20,000-deep JSON document with 400, not 500', async () => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const response = await post(deep, 'application/json').expect(400);
    assert.match(response.body.message, /nest/i);
    assert.ok(response.body.correlationId);
  });

  it('answers a small deep document (within the fast path’s size) with 400 too', async () => {
    const deep = `{"maint":${'['.repeat(100)}${']'.repeat(100)}}`;
    await post(deep, 'application/json').expect(400);
  });

  for (const [name, contentType, body] of [
    ['text/plain', 'text/plain', '{"maint":"high"}'],
    ['XML', 'application/xml', '<car><maint>high</maint></car>'],
    ['form-encoded', 'application/x-www-form-urlencoded', 'maint=high'],
  ] as const) {
    it(`answers a ${name} body with 415, not the "nothing given" prediction`, async () => {
      const response = await post(body, contentType).expect(415);
      assert.ok(response.body.correlationId);
    });
  }

  it('answers an untyped body with 415', async () => {
    const response = await request(app.getHttpServer())
      .post('/predictions')
      .set('Content-Type', '')
      .send(Buffer.from('{"maint":"high"}'));
    assert.equal(response.status, 415);
  });
});
