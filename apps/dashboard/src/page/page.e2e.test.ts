import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { INestApplication } from '@nestjs/common';
import { createTestDatabase, TestDatabase } from '@des/shared/testing';
import request from 'supertest';
import { createApp } from '../app';
import { chooseEncoding } from './page.service';

describe('page assets', () => {
  let database: TestDatabase;
  let app: INestApplication;

  before(async () => {
    database = await createTestDatabase('dashboard_page');
    app = await createApp({ ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
    await app.init();
  });

  after(async () => {
    await app?.close();
    await database?.drop();
  });

  it('serves the page, revalidated by ETag', async () => {
    const http = app.getHttpServer();
    const page = await request(http).get('/').set('Accept-Encoding', 'identity').expect(200);
    assert.match(page.headers['content-type'], /text\/html/);
    assert.equal(page.headers['cache-control'], 'no-cache');
    assert.match(
      page.text,
      /<script defer src="\/assets\/plotly\.[0-9a-f]{12}\.min\.js"><\/script>/,
    );
    assert.doesNotMatch(page.text, /cdn|https?:\/\/(?!www\.w3)/i);
    await request(http)
      .get('/')
      .set('Accept-Encoding', 'identity')
      .set('If-None-Match', page.headers.etag)
      .expect(304);
  });

  it('serves Plotly from the app, precompressed with brotli or gzip and cached for a year', async () => {
    const http = app.getHttpServer();
    const page = await request(http).get('/').set('Accept-Encoding', 'identity');
    const plotly = /\/assets\/plotly\.[0-9a-f]{12}\.min\.js/.exec(page.text)![0];
    const br = await request(http)
      .get(plotly)
      .set('Accept-Encoding', 'gzip, deflate, br')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(br.headers.vary, 'Accept-Encoding');
    // The partial bundle (scatter and bar) is about 330 KB in brotli; the full one is 1.1 MB.
    assert.ok(Number(br.headers['content-length']) < 400_000);
    const gzip = await request(http).head(plotly).set('Accept-Encoding', 'gzip').expect(200);
    assert.equal(gzip.headers['content-encoding'], 'gzip');
    assert.notEqual(gzip.headers.etag, br.headers.etag);
    await request(http)
      .get(plotly)
      .set('Accept-Encoding', 'br')
      .set('If-None-Match', br.headers.etag)
      .expect(304);
    await request(http).get('/assets/nothing.js').expect(404);
  });

  it('chooses the encoding from Accept-Encoding', () => {
    assert.equal(chooseEncoding('gzip, deflate, br, zstd'), 'br');
    assert.equal(chooseEncoding('gzip, br;q=0'), 'gzip');
    assert.equal(chooseEncoding('*'), 'br');
    assert.equal(chooseEncoding(''), 'identity');
    assert.equal(chooseEncoding('identity'), 'identity');
  });
});
