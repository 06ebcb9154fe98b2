import assert from 'node:assert/strict';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { INestApplication } from '@nestjs/common';
import { createTestDatabase, TestDatabase } from '@des/shared/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../app';
import { Country } from '../countries/country-catalog';
import { APP_ROOT } from '../config';
import { ObservationPoint } from '../series/series-index';
import { CovidDataService } from './covid-data.service';
import { Snapshot, SnapshotRepository } from './snapshot.repository';

type Mode = 'ok' | 'error' | 'flaky' | 'invalid' | 'slow';

/** The countries the fake source carries; it answers 404 for the others, which keep their data. */
const SERVED = new Set([
  'Singapore',
  'Malaysia',
  'Indonesia',
  'Thailand',
  'Philippines',
  'Vietnam',
  'Japan',
  'Korea, South',
  'Australia',
  'New Zealand',
  'India',
  'China',
  'United Kingdom',
  'US',
  'Germany',
  'France',
  'Italy',
]);

/**
 * A local stand-in for covid19api.com: the snapshot's values plus two more days, in the old
 * response format (Lat/Lon as strings, except numbers for Japan like early responses).
 */
class FakeCovidApi {
  mode: Mode = 'ok';
  requests = 0;
  private server!: Server;
  private readonly bySlug = new Map<string, ObservationPoint[]>();
  private readonly countries: Country[];

  constructor(snapshot: Snapshot) {
    this.countries = snapshot.countries.filter((country) => SERVED.has(country.name));
    for (const country of this.countries) {
      const own = snapshot.points.filter((p) => p.country === country.name);
      const last = own.at(-1)!;
      own.push(
        { ...last, date: '2023-03-10', confirmed: last.confirmed + 5, deaths: last.deaths + 1 },
        { ...last, date: '2023-03-11', confirmed: last.confirmed + 9, deaths: last.deaths + 1 },
      );
      this.bySlug.set(country.slug, own);
    }
  }

  async start(): Promise<string> {
    // In flaky mode each URL fails once (503) and then answers.
    const failedOnce = new Set<string>();
    this.server = createServer((req, res) => {
      const match = /^\/country\/([\w-]+)\/status\/(confirmed|deaths)$/.exec(req.url ?? '');
      const points = match && this.bySlug.get(match[1]);
      if (!match || !points) return void res.writeHead(404).end('{"message":"Not Found"}');
      // Counts the requests for countries it carries.
      this.requests++;
      if (this.mode === 'error') return void res.writeHead(500).end('{"message":"down"}');
      if (this.mode === 'flaky' && !failedOnce.has(req.url!)) {
        failedOnce.add(req.url!);
        return void res.writeHead(503).end('{"message":"busy"}');
      }
      if (this.mode === 'slow') return; // never answers; closed in stop()
      const country = this.countries.find((c) => c.slug === match[1])!;
      const status = match[2] as 'confirmed' | 'deaths';
      const body = points.map((p, i) => ({
        Country: country.name,
        CountryCode: country.code,
        Province: '',
        City: '',
        CityCode: '',
        Lat: country.slug === 'japan' ? Number(country.lat) : country.lat,
        Lon: country.slug === 'japan' ? Number(country.lon) : country.lon,
        // Only the confirmed answer is broken, so the error names it whichever answer comes first.
        Cases:
          this.mode === 'invalid' && country.slug === 'italy' && status === 'confirmed' && i === 7
            ? 'many'
            : p[status],
        Status: status,
        Date: `${p.date}T00:00:00Z`,
      }));
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

describe('live refresh from a covid19api.com-format source', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let fake: FakeCovidApi;
  let data: CovidDataService;

  before(async () => {
    fake = new FakeCovidApi(await new SnapshotRepository().read(`${APP_ROOT}/data`));
    const url = await fake.start();
    database = await createTestDatabase('dashboard_live');
    app = await createApp({
      ...process.env,
      DATABASE_URL: database.url,
      LOG_LEVEL: 'silent',
      COVID_API_URL: url,
      COVID_API_TIMEOUT_MS: '3000',
      COVID_API_RETRIES: '1',
      COVID_API_RETRY_DELAY_MS: '10',
    });
    await app.init();
    data = app.get(CovidDataService);
  });

  after(async () => {
    await app?.close();
    await fake?.stop();
    await database?.drop();
  });

  it('refreshes at start-up and serves the newer days', async () => {
    // The start-up refresh is already running; this waits for it.
    const result = await data.refreshLive();
    assert.equal(result.ok, true, result.error);
    assert.equal(result.dataAsOf, '2023-03-11');
    const http = app.getHttpServer();
    const { body } = await request(http)
      .get('/api/series?country=Singapore&from=2023-03-09')
      .expect(200);
    assert.deepEqual(
      body.map((row: { date: string; daily: number }) => [row.date, row.daily]),
      [
        ['2023-03-09', body[0].daily],
        ['2023-03-10', 5],
        ['2023-03-11', 4],
      ],
    );
    const countries = await request(http).get('/api/countries').expect(200);
    assert.equal(countries.body.dataAsOf, '2023-03-11');
    assert.equal(countries.body.status.live.lastAttemptOk, true);
    assert.equal(countries.body.status.live.lastGoodDataAsOf, '2023-03-11');
    const [{ live }] = await app
      .get(DataSource)
      .query("SELECT count(*)::int AS live FROM covid.observations WHERE source = 'live'");
    assert.equal(live, 17 * 1145);
  });

  it('retries a failing request and succeeds', async () => {
    fake.mode = 'flaky';
    const before = fake.requests;
    const result = await data.refreshLive();
    assert.equal(result.ok, true, result.error);
    assert.equal(fake.requests - before, 68, 'every request was retried once');
  });

  for (const [mode, pattern] of [
    ['error', /HTTP 500 \(after 2 attempts\)/],
    ['invalid', /confirmed response for italy: element 7, field Cases/],
    ['slow', /timed out after 3000 ms/],
  ] as const) {
    it(`keeps the last good data when the source ${mode === 'error' ? 'fails' : `is ${mode}`}`, async () => {
      fake.mode = mode;
      const result = await data.refreshLive();
      assert.equal(result.ok, false);
      assert.match(result.error!, pattern);
      const http = app.getHttpServer();
      const countries = await request(http).get('/api/countries').expect(200);
      assert.equal(countries.body.dataAsOf, '2023-03-11');
      assert.equal(countries.body.status.live.lastAttemptOk, false);
      assert.match(countries.body.status.live.lastError, pattern);
      assert.equal(countries.body.status.live.lastGoodDataAsOf, '2023-03-11');
      const series = await request(http)
        .get('/api/series?country=Italy&from=2023-03-11')
        .expect(200);
      assert.equal(series.body.length, 1);
    });
  }
});
