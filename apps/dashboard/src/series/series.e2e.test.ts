import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { INestApplication } from '@nestjs/common';
import { createTestDatabase, TestDatabase } from '@des/shared/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../app';

describe('series API', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let http: ReturnType<INestApplication['getHttpServer']>;

  before(async () => {
    database = await createTestDatabase('dashboard_series');
    app = await createApp({ ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
    await app.init();
    http = app.getHttpServer();
  });

  after(async () => {
    await app?.close();
    await database?.drop();
  });

  it('loads the snapshot into covid.observations once, even when started again', async () => {
    const dataSource = app.get(DataSource);
    const [{ count }] = await dataSource.query(
      'SELECT count(*)::int AS count FROM covid.observations',
    );
    assert.equal(count, 19_431);
    const second = await createApp({
      ...process.env,
      DATABASE_URL: database.url,
      LOG_LEVEL: 'silent',
    });
    await second.init();
    await second.close();
    const loads = await dataSource.query(
      "SELECT count(*)::int AS count FROM covid.refreshes WHERE source = 'snapshot'",
    );
    assert.equal(loads[0].count, 1);
  });

  it('GET /api/countries lists the 17 countries and the data date', async () => {
    const { body } = await request(http).get('/api/countries').expect(200);
    assert.equal(body.countries.length, 17);
    assert.equal(body.dataAsOf, '2023-03-09');
    assert.match(body.source, /Johns Hopkins CSSE/);
    assert.deepEqual(body.countries[0], {
      name: 'Singapore',
      slug: 'singapore',
      code: 'SG',
      firstDate: '2020-01-22',
      lastDate: '2023-03-09',
    });
    assert.equal(body.status.live.configured, false);
  });

  it('GET /api/series returns one row per day with cumulative, daily and avg7', async () => {
    const { body, headers } = await request(http)
      .get('/api/series?country=Singapore&metric=confirmed&from=2020-04-24&to=2020-04-30')
      .expect(200);
    assert.equal(headers['cache-control'], 'public, max-age=300');
    assert.equal(body.length, 7);
    const last = body.at(-1);
    assert.equal(last.date, '2020-04-30');
    assert.equal(last.cumulative, 16_169);
    assert.equal(last.daily, last.cumulative - body.at(-2).cumulative);
    assert.deepEqual(Object.keys(last), ['date', 'cumulative', 'daily', 'avg7']);
  });

  it('covers the whole series by default, with no daily value on the first day', async () => {
    const { body } = await request(http)
      .get('/api/series?country=singapore&metric=deaths')
      .expect(200);
    assert.equal(body.length, 1143);
    assert.deepEqual(body[0], { date: '2020-01-22', cumulative: 0, daily: null, avg7: null });
    assert.equal(body[6].avg7, null);
    assert.equal(typeof body[7].avg7, 'number');
    assert.equal(body.at(-1).cumulative, 1722);
  });

  it('keeps data corrections as negative daily values', async () => {
    const { body } = await request(http)
      .get('/api/series?country=France&metric=confirmed')
      .expect(200);
    const negative = body.filter(
      (row: { daily: number | null }) => row.daily !== null && row.daily < 0,
    );
    assert.equal(negative.length, 16);
  });

  it('cuts a range reaching past the data to the data', async () => {
    const { body } = await request(http)
      .get('/api/series?country=Singapore&from=2023-03-01&to=2024-01-01')
      .expect(200);
    assert.equal(body.length, 9);
  });

  it('answers 404 for an unknown country, listing the known ones', async () => {
    const { body } = await request(http).get('/api/series?country=Narnia').expect(404);
    assert.match(body.message, /Unknown country "Narnia"; known countries: Singapore, Malaysia/);
    assert.equal(body.knownCountries.length, 17);
    assert.ok(body.correlationId);
  });

  for (const [query, pattern] of [
    ['country=Singapore&from=2021-02-30', /from must be a real calendar date/],
    ['country=Singapore&to=yesterday', /to must be a real calendar date/],
    ['country=Singapore&from=2022-03-01&to=2022-01-01', /from \(2022-03-01\) is after to/],
    ['country=Singapore&from=2010-01-01&to=2010-12-31', /no data for Singapore between/],
    ['country=Singapore&metric=recovered', /metric must be one of confirmed, deaths/],
    ['metric=confirmed', /country/],
  ] as const) {
    it(`answers 400 for ${query}`, async () => {
      const { body } = await request(http).get(`/api/series?${query}`).expect(400);
      assert.match(body.message, pattern);
    });
  }

  it('exports the shown series as CSV', async () => {
    const response = await request(http)
      .get(
        '/api/export.csv?countries=Singapore,Malaysia&metric=deaths&from=2023-03-08&to=2023-03-09',
      )
      .expect(200)
      .expect('Content-Type', /text\/csv/);
    const lines = response.text.trim().split('\n');
    assert.equal(lines[0], 'country,metric,date,cumulative,daily,avg7');
    assert.equal(lines.length, 5);
    assert.match(lines[2], /^Singapore,deaths,2023-03-09,1722,/);
  });

  it('serves the covid19api-compatible route', async () => {
    const { body } = await request(http)
      .get('/country/singapore/status/confirmed?from=2020-04-30T00:00:00Z&to=2020-04-30T00:00:00Z')
      .expect(200);
    assert.deepEqual(body, [
      {
        Country: 'Singapore',
        CountryCode: 'SG',
        Province: '',
        City: '',
        CityCode: '',
        Lat: '1.28',
        Lon: '103.83',
        Cases: 16_169,
        Status: 'confirmed',
        Date: '2020-04-30T00:00:00Z',
      },
    ]);
    const all = await request(http).get('/country/korea-south/status/deaths').expect(200);
    assert.equal(all.body.length, 1143);
    await request(http).get('/country/atlantis/status/confirmed').expect(404);
    const bad = await request(http).get('/country/singapore/status/recovered').expect(400);
    assert.match(bad.body.message, /recovered is not in the JHU snapshot/);
  });
});
