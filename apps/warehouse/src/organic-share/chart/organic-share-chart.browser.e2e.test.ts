import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { launchChromium } from '@des/shared/browser';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { APP_ROOT } from '../../config';
import { WarehouseFixture } from '../../testing/warehouse-fixture';
import { marketingDelivery, SAMPLE_PARQUET } from '../organic-share.fixtures';

interface ChartTrace {
  name: string;
  x: string[];
  y: Array<number | null>;
  symbols: string[];
}

interface WeekBody {
  country: string;
  weekStart: string;
  shareOrganicP4w: number | null;
  weeksWithDataP4w: number;
}

const SCREENSHOT = join(APP_ROOT, 'docs', 'images', 'organic-share.png');

describe('organic-share chart page in headless chromium', () => {
  const fixture = new WarehouseFixture();
  let browser: Browser;
  let base: string;
  const consoleErrors: string[] = [];

  before(async () => {
    await fixture.start({ WAREHOUSE_ORGANIC_SHARE_CRON: 'off' });
    await marketingDelivery(fixture, '20211214', {
      'sample.snappy.parquet': { copyOf: SAMPLE_PARQUET },
    });
    await request(fixture.app.getHttpServer()).post('/jobs/organic-share/runs').expect(201);
    await fixture.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(fixture.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await fixture.stop();
  });

  async function open(path: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${path}: ${message.text()}`);
    });
    page.on('pageerror', (error) => consoleErrors.push(`${path}: ${error.message}`));
    // Nothing may come from outside the app (plotly is served from node_modules).
    page.on('request', (req) => {
      if (!req.url().startsWith(base)) consoleErrors.push(`${path}: outside request ${req.url()}`);
    });
    await page.goto(base + path);
    await page.waitForFunction(
      () => Number(document.getElementById('chart')?.dataset.renders ?? 0) >= 1,
      null,
      {
        timeout: 20_000,
      },
    );
    return page;
  }

  const traces = (page: Page) =>
    page.evaluate(() =>
      (
        document.getElementById('chart') as unknown as {
          data: Array<{
            name: string;
            x: string[];
            y: Array<number | null>;
            marker: { symbol: string | string[] };
          }>;
        }
      ).data.map((trace) => ({
        name: trace.name,
        x: Array.from(trace.x),
        y: Array.from(trace.y),
        symbols: Array.isArray(trace.marker.symbol) ? trace.marker.symbol : [trace.marker.symbol],
      })),
    ) as Promise<ChartTrace[]>;

  it("draws the three countries' shares over the weeks, weeks resting on missing data hollow, and a gap where nothing is known", async () => {
    const page = await open('/organic-share/chart');
    const drawn = await traces(page);
    const countries = drawn.filter((trace) => trace.name !== 'rests on < 4 weeks of data');
    assert.deepEqual(
      countries.map((trace) => trace.name),
      ['FR', 'GB', 'IT'],
    );
    const { body } = await request(fixture.app.getHttpServer()).get('/organic-share').expect(200);
    const weeks = body.weeks as WeekBody[];
    for (const trace of countries) {
      const own = weeks.filter((week) => week.country === trace.name);
      assert.deepEqual(
        trace.x,
        own.map((week) => week.weekStart),
      );
      assert.deepEqual(
        trace.y,
        own.map((week) => week.shareOrganicP4w),
      );
      assert.deepEqual(
        trace.symbols,
        own.map((week) => (week.weeksWithDataP4w < 4 ? 'circle-open' : 'circle')),
      );
    }
    // The sample has gaps: some weeks rest on missing data, and are drawn hollow.
    assert.ok(countries.some((trace) => trace.symbols.includes('circle-open')));
    assert.ok(countries.some((trace) => trace.symbols.includes('circle')));
    const hollowMarkers = await page.locator('#chart path.point').count();
    assert.ok(hollowMarkers > 0);

    mkdirSync(join(APP_ROOT, 'docs', 'images'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await page.close();
    assert.deepEqual(consoleErrors, []);
  });

  it('filters by country and period from the form, and shows a 400 message in the page', async () => {
    const page = await open('/organic-share/chart?country=GB&from=2021-01&to=2021-06');
    const drawn = await traces(page);
    assert.deepEqual(
      drawn.map((trace) => trace.name),
      ['GB', 'rests on < 4 weeks of data'],
    );
    assert.ok(drawn[0]!.x.every((day) => day >= '2021-01-01' && day <= '2021-06-30'));

    await page.fill('input[name=from]', '2021-13');
    await page.click('button[type=submit]');
    await page.waitForFunction(() => document.getElementById('status')!.textContent!.length > 0);
    assert.match(await page.locator('#status').innerText(), /from must be a month YYYY-MM/);
    await page.close();
    assert.deepEqual(
      consoleErrors.filter((error) => !/400/.test(error)),
      [],
    );
  });
});
