import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { INestApplication, Logger } from '@nestjs/common';
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
    assert.equal(count, 201 * 1143);
    const [{ countries }] = await dataSource.query(
      'SELECT count(*)::int AS countries FROM covid.countries',
    );
    assert.equal(countries, 201);
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

  it('GET /api/countries lists all 201 entries, ids, populations and the data date', async () => {
    const { body } = await request(http).get('/api/countries').expect(200);
    assert.equal(body.countries.length, 201);
    assert.equal(body.dataAsOf, '2023-03-09');
    assert.match(body.source, /Johns Hopkins CSSE/);
    const byName = new Map(body.countries.map((c: { name: string }) => [c.name, c]));
    assert.deepEqual(byName.get('Singapore'), {
      id: 'SG',
      name: 'Singapore',
      code: 'SG',
      slug: 'singapore',
      kind: 'country',
      population: 5_850_343,
      firstDate: '2020-01-22',
      lastDate: '2023-03-09',
      weeklyReporting: [{ from: '2023-02-13', to: '2023-03-09' }],
    });
    assert.deepEqual(byName.get('Korea, South'), {
      id: 'KR',
      name: 'Korea, South',
      code: 'KR',
      slug: 'korea-south',
      kind: 'country',
      population: 51_269_183,
      firstDate: '2020-01-22',
      lastDate: '2023-03-09',
      weeklyReporting: [],
    });
    assert.equal(body.status.live.configured, false);
  });

  it('sends the country list compressed when the client accepts it', async () => {
    const gzip = await request(http)
      .get('/api/countries')
      .set('Accept-Encoding', 'gzip')
      .expect(200);
    assert.equal(gzip.headers['content-encoding'], 'gzip');
    assert.equal(gzip.headers.vary, 'Accept-Encoding');
    assert.equal(gzip.headers['cache-control'], 'public, max-age=300');
    assert.ok(Number(gzip.headers['content-length']) < 10_000, gzip.headers['content-length']);
    assert.equal(gzip.body.countries.length, 201);
    const plain = await request(http)
      .get('/api/countries')
      .set('Accept-Encoding', 'identity')
      .expect(200)
      .expect('Content-Type', /application\/json/);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.deepEqual(plain.body.countries, gzip.body.countries);
  });

  it('keeps entries that are not countries apart and says which have no population', async () => {
    const { body } = await request(http).get('/api/countries').expect(200);
    const others = body.countries.filter((c: { kind: string }) => c.kind === 'other');
    assert.deepEqual(
      others.map((c: { name: string; id: string }) => [c.name, c.id]),
      [
        ['Antarctica', 'AQ'],
        ['Diamond Princess', 'diamond-princess'],
        ['MS Zaandam', 'ms-zaandam'],
        ['Summer Olympics 2020', 'summer-olympics-2020'],
        ['Winter Olympics 2022', 'winter-olympics-2022'],
      ],
    );
    const withoutPopulation = body.countries.filter(
      (c: { kind: string; population: number | null }) =>
        c.kind === 'country' && c.population === null,
    );
    assert.deepEqual(
      withoutPopulation.map((c: { name: string }) => c.name),
      [
        'Kiribati',
        'Korea, North',
        'Marshall Islands',
        'Micronesia',
        'Nauru',
        'Palau',
        'Samoa',
        'Solomon Islands',
        'Tonga',
        'Tuvalu',
        'Vanuatu',
      ],
    );
    // Australia, Canada and China have no country row: their values are the sums of their rows.
    const china = await request(http).get('/api/series?country=CN&from=2023-03-09').expect(200);
    assert.equal(china.body[0].cumulative, 4_903_524);
  });

  it('answers per=million with the per-million values from the shipped population', async () => {
    const { body } = await request(http)
      .get('/api/series?country=SG&metric=confirmed&per=million&from=2023-03-09')
      .expect(200);
    assert.deepEqual(body, [
      {
        date: '2023-03-09',
        cumulative: 2_235_294,
        daily: 0,
        avg7: body[0].avg7,
        cumulativePerMillion: Math.round((2_235_294 * 1e9) / 5_850_343) / 1000,
        dailyPerMillion: 0,
        avg7PerMillion: Math.round((body[0].avg7 * 1e9) / 5_850_343) / 1000,
      },
    ]);
    assert.equal(body[0].cumulativePerMillion, 382_079.136);
    const plain = await request(http).get('/api/series?country=SG&from=2023-03-09').expect(200);
    assert.deepEqual(Object.keys(plain.body[0]), ['date', 'cumulative', 'daily', 'avg7']);
  });

  it('refuses per=million for an entry without a population, naming it', async () => {
    const { body } = await request(http)
      .get('/api/series?country=Diamond%20Princess&per=million')
      .expect(400);
    assert.match(body.message, /no population for Diamond Princess/);
    await request(http).get('/api/series?country=SG&per=billion').expect(400);
  });

  it('finds a country by JHU name, ISO alpha-2 code or slug, in any case', async () => {
    for (const key of ['Korea%2C%20South', 'KR', 'kr', 'korea-south']) {
      const { body } = await request(http)
        .get(`/api/series?country=${key}&from=2023-03-09`)
        .expect(200);
      assert.equal(body[0].cumulative, 30_615_522, key);
    }
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

  it('answers 404 for an unknown country, saying where the known ones are', async () => {
    const { body } = await request(http).get('/api/series?country=Narnia').expect(404);
    assert.match(
      body.message,
      /Unknown country "Narnia": use a JHU name or an ISO 3166 alpha-2 code \(GET \/api\/countries/,
    );
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
    assert.equal(lines[0], 'country,code,metric,date,cumulative,daily,avg7');
    assert.equal(lines.length, 5);
    assert.match(lines[2], /^Singapore,SG,deaths,2023-03-09,1722,/);
  });

  it('exports countries given as repeated country parameters, names with commas quoted', async () => {
    const response = await request(http)
      .get('/api/export.csv?country=Singapore&country=Korea%2C%20South&from=2023-03-09')
      .expect(200)
      .expect('Content-Type', /text\/csv/);
    const lines = response.text.trim().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[1], /^Singapore,SG,confirmed,2023-03-09,2235294,/);
    assert.match(lines[2], /^"Korea, South",KR,confirmed,2023-03-09,30615522,/);
    // The older comma list keeps working, names with commas included.
    const old = await request(http)
      .get('/api/export.csv?countries=Singapore,Korea%2C%20South&from=2023-03-09')
      .expect(200);
    assert.equal(old.text, response.text);
  });

  it('exports per million with the population used', async () => {
    const response = await request(http)
      .get('/api/export.csv?country=SG&country=KR&per=million&from=2023-03-09')
      .expect(200);
    const lines = response.text.trim().split('\n');
    assert.equal(
      lines[0],
      'country,code,metric,date,cumulative,daily,avg7,population,cumulativePerMillion,dailyPerMillion,avg7PerMillion',
    );
    assert.match(
      lines[1],
      /^Singapore,SG,confirmed,2023-03-09,2235294,0,[\d.]+,5850343,382079\.136,0,/,
    );
  });

  it('answers export errors as JSON, never as a CSV, and logs no content-type mismatch', async () => {
    const warnings: string[] = [];
    const warn = Logger.prototype.warn;
    Logger.prototype.warn = function (message: unknown, ...rest: unknown[]) {
      warnings.push(String(message));
      return warn.call(this, message, ...rest);
    };
    try {
      const response = await request(http)
        .get('/api/export.csv?country=Singapore&country=Narnia')
        .expect(404)
        .expect('Content-Type', /application\/json/);
      assert.equal(response.headers['content-disposition'], undefined);
      assert.match(response.body.message, /Unknown country "Narnia"/);
      await request(http).get('/api/export.csv').expect(400).expect('Content-Type', /json/);
      const eleven = ['SG', 'KR', 'JP', 'MY', 'ID', 'TH', 'PH', 'VN', 'AU', 'NZ', 'IN'];
      const tooMany = await request(http)
        .get(`/api/export.csv?${eleven.map((code) => `country=${code}`).join('&')}`)
        .expect(400);
      assert.match(tooMany.body.message, /at most 10 countries/);
      const noPopulation = await request(http)
        .get('/api/export.csv?country=SG&country=Tonga&per=million')
        .expect(400);
      assert.match(noPopulation.body.message, /no population for Tonga/);
    } finally {
      Logger.prototype.warn = warn;
    }
    assert.deepEqual(
      warnings.filter((message) => /Content-Type doesn't match/.test(message)),
      [],
    );
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
