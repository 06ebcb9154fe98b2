import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { INestApplication } from '@nestjs/common';
import { createTestDatabase, TestDatabase } from '@des/shared/testing';
import type { Browser, Page } from 'playwright-core';
import { createApp } from '../app';
import { APP_ROOT } from '../config';
import { launchChromium } from '@des/shared/browser';

interface PlotTrace {
  type: string;
  x: string[];
  y: Array<number | null>;
  meta?: { country: string; kind: string };
}

const SCREENSHOT = join(APP_ROOT, 'docs', 'images', 'dashboard.png');

describe('dashboard page in headless chromium', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let browser: Browser;
  let base: string;
  const consoleErrors: string[] = [];

  before(async () => {
    database = await createTestDatabase('dashboard_browser');
    app = await createApp({ ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    await database?.drop();
  });

  async function open(path: string, width = 1280, height = 860): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height } });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${path}: ${message.text()}`);
    });
    page.on('pageerror', (error) => consoleErrors.push(`${path}: ${error.message}`));
    await page.goto(base + path);
    await waitForRenders(page, 1);
    return page;
  }

  const renders = (page: Page) =>
    page.evaluate(() => Number(document.getElementById('chart')!.dataset.renders ?? 0));

  async function waitForRenders(page: Page, count: number): Promise<void> {
    await page.waitForFunction(
      (n) => Number(document.getElementById('chart')?.dataset.renders ?? 0) >= n,
      count,
      { timeout: 20_000 },
    );
  }

  const traces = (page: Page) =>
    page.evaluate(
      () =>
        (document.getElementById('chart') as unknown as { data: PlotTrace[] }).data.map((t) => ({
          type: t.type,
          x: Array.from(t.x),
          y: Array.from(t.y),
          meta: t.meta,
        })) as PlotTrace[],
    );

  it('draws Singapore with one point per day of the selected range', async () => {
    const page = await open('/?countries=Singapore&metric=daily&from=2022-01-01&to=2022-03-31');
    const [bars, average] = await traces(page);
    assert.equal(bars.type, 'bar');
    assert.equal(bars.meta?.country, 'Singapore');
    assert.equal(average.meta?.kind, 'avg7');
    const inRange = bars.x.filter((date) => date >= '2022-01-01' && date <= '2022-03-31');
    assert.equal(inRange.length, 90);
    const dayMs = 86_400_000;
    inRange.forEach((date, i) => {
      assert.equal(Date.parse(date) - Date.parse(inRange[0]), i * dayMs, `gap before ${date}`);
    });
    assert.equal(bars.x.length, 1143);
    const range = await page.evaluate(
      () =>
        (document.getElementById('chart') as unknown as { layout: { xaxis: { range: string[] } } })
          .layout.xaxis.range,
    );
    assert.deepEqual(
      range.map((value) => value.slice(0, 10)),
      ['2021-12-31', '2022-03-31'],
    );
    assert.match(await page.locator('h1').innerText(), /Singapore/);
    assert.match(
      await page.locator('#source').innerText(),
      /Johns Hopkins CSSE.*data as of 9 Mar 2023/,
    );
    await page.close();
  });

  it('switches metric, view and country, keeping the view in the URL', async () => {
    const page = await open('/?countries=Singapore&metric=daily');
    await page.getByRole('button', { name: 'Deaths' }).click();
    await waitForRenders(page, 2);
    assert.match(page.url(), /status=deaths/);
    let [bars] = await traces(page);
    assert.equal(
      bars.y.reduce<number>((sum, y) => sum + (y ?? 0), 0),
      1722,
    );

    await page.getByRole('button', { name: 'Cumulative' }).click();
    await waitForRenders(page, 3);
    assert.match(page.url(), /metric=cumulative/);
    [bars] = await traces(page);
    assert.equal(bars.type, 'scatter');
    assert.equal(bars.y.at(-1), 1722);

    await page.getByRole('combobox', { name: /Countries/ }).fill('malay');
    await page.getByRole('option', { name: 'Malaysia' }).click();
    await waitForRenders(page, 4);
    assert.match(page.url(), /countries=SG,MY&/);
    const countries = (await traces(page)).map((trace) => trace.meta?.country);
    assert.ok(countries.includes('Malaysia'));
    assert.match(await page.locator('h1').innerText(), /Singapore and Malaysia/);

    await page.getByRole('button', { name: '3m' }).click();
    await waitForRenders(page, 5);
    assert.match(page.url(), /from=2022-12-10&to=2023-03-09/);
    // A range chosen in the chart itself (range slider, zoom) reaches the URL too.
    await page.evaluate(() =>
      (
        window as unknown as { Plotly: { relayout(el: Element, u: object): Promise<void> } }
      ).Plotly.relayout(document.getElementById('chart')!, {
        'xaxis.range': ['2022-11-30 12:00', '2023-02-28 12:00'],
      }),
    );
    await page.waitForURL(/from=2022-12-01&to=2023-02-28/);
    await page.getByRole('button', { name: '3m' }).click();
    await waitForRenders(page, 6);
    assert.match(page.url(), /from=2022-11-29&to=2023-02-28/);
    await page.getByRole('button', { name: 'all' }).click();
    await waitForRenders(page, 7);
    assert.doesNotMatch(page.url(), /from=/);
    await page.getByRole('button', { name: '3m' }).click();
    await waitForRenders(page, 8);
    const download = await page.locator('#download').getAttribute('href');
    assert.equal(
      download,
      '/api/export.csv?country=SG&country=MY&metric=deaths&from=2022-12-10&to=2023-03-09',
    );
    await page.close();
  });

  it('switches to a log scale and shows the day and its value on hover', async () => {
    const page = await open('/?countries=Singapore&metric=daily&from=2022-01-01&to=2022-03-31');
    await page.getByRole('button', { name: 'Log' }).click();
    await waitForRenders(page, 2);
    assert.match(page.url(), /scale=log/);
    const yType = await page.evaluate(
      () =>
        (document.getElementById('chart') as unknown as { layout: { yaxis: { type: string } } })
          .layout.yaxis.type,
    );
    assert.equal(yType, 'log');

    // The main plot area's drag layer: hovering its middle shows the unified hover label.
    const box = (await page.locator('#chart .nsewdrag').first().boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForFunction(() =>
      /\d/.test(document.querySelector('#chart .hoverlayer')?.textContent ?? ''),
    );
    // One text element per line of the label: the day, then each trace's value.
    const text = (
      await page
        .locator('#chart .hoverlayer text')
        .evaluateAll((nodes) => nodes.map((node) => node.textContent))
    ).join('\n');
    const day = /(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\d{2}) (Jan|Feb|Mar) 2022/.exec(text);
    assert.ok(day, `a date in the hover label: ${text}`);
    const value = /New cases: ([\d,]+)/.exec(text);
    assert.ok(value, `the day's new cases in the hover label: ${text}`);
    const [bars] = await traces(page);
    const month = { Jan: '01', Feb: '02', Mar: '03' }[day[2] as 'Jan' | 'Feb' | 'Mar'];
    const index = bars.x.findIndex((date) => date.startsWith(`2022-${month}-${day[1]}`));
    assert.equal(Number(value[1].replace(/,/g, '')), bars.y[index], 'the value of that day');
    await page.close();
  });

  it('finds any country by typing in the picker, with the keyboard, and removes it as a chip', async () => {
    const page = await open('/?countries=SG');
    const search = page.getByRole('combobox', { name: /Countries/ });
    await search.click();
    assert.equal(await page.getByRole('option').count(), 201, 'every entry is listed');
    // The entries that are not countries have their own group.
    const others = page.getByRole('group', { name: /Not countries/ }).getByRole('option');
    assert.deepEqual(await others.allInnerTexts(), [
      'Antarctica\nno population',
      'Diamond Princess\nno population',
      'MS Zaandam\nno population',
      'Summer Olympics 2020\nno population',
      'Winter Olympics 2022\nno population',
    ]);
    await search.fill('south korea');
    assert.deepEqual(await page.getByRole('option').allInnerTexts(), ['Korea, South']);
    await search.fill('ivo');
    assert.deepEqual(await page.getByRole('option').allInnerTexts(), ["Cote d'Ivoire"]);
    await search.fill('kor');
    await page.keyboard.press('ArrowDown');
    assert.equal(
      await search.getAttribute('aria-activedescendant'),
      'option-KR',
      'ArrowDown moves from Korea, North to Korea, South',
    );
    await page.keyboard.press('Enter');
    await waitForRenders(page, 2);
    assert.match(page.url(), /countries=SG,KR&/);
    const chips = page.locator('#chips li');
    assert.deepEqual(await chips.evaluateAll((nodes) => nodes.map((node) => node.textContent)), [
      'Singapore×',
      'Korea, South×',
    ]);
    await page.getByRole('button', { name: 'Remove Korea, South' }).click();
    await waitForRenders(page, 3);
    assert.match(page.url(), /countries=SG&/);
    assert.ok(await page.getByRole('button', { name: 'Remove Singapore' }).isDisabled());
    await page.close();
  });

  it('reopens a shared link with a comma name, old style or by ISO code', async () => {
    const old = await open('/?countries=Singapore,Korea%2C%20South&metric=cumulative');
    assert.match(old.url(), /\?countries=SG,KR&metric=cumulative/);
    const countries = (await traces(old)).map((trace) => trace.meta?.country);
    assert.deepEqual(countries, ['Singapore', 'Korea, South']);
    assert.doesNotMatch(await old.locator('#notes').innerText(), /Unknown country/);
    const shared = old.url();
    await old.close();
    const reopened = await open(shared.slice(base.length));
    assert.deepEqual(
      (await traces(reopened)).map((trace) => trace.meta?.country),
      ['Singapore', 'Korea, South'],
    );
    assert.match(await reopened.locator('h1').innerText(), /Singapore and Korea, South/);
    await reopened.close();
    // Apostrophes and brackets, and a name that is no entry.
    const unknown = await open("/?countries=Cote%20d'Ivoire,Congo%20(Kinshasa),Narnia");
    assert.match(unknown.url(), /\?countries=CI,CD&/);
    assert.match(
      await unknown.locator('#notes').innerText(),
      /Unknown country in the link, ignored: Narnia/,
    );
    await unknown.close();
  });

  it('switches per million on and off, leaving out entries without a population', async () => {
    const page = await open('/?countries=SG,KP&metric=cumulative');
    let [singapore, korea] = await traces(page);
    assert.equal(singapore.y.at(-1), 2_235_294);
    assert.equal(korea.meta?.country, 'Korea, North');
    await page.getByRole('button', { name: 'Per million' }).click();
    await waitForRenders(page, 2);
    assert.match(page.url(), /per=million/);
    const drawn = await traces(page);
    assert.deepEqual(
      drawn.map((trace) => trace.meta?.country),
      ['Singapore'],
      'Korea, North has no population: left out, not drawn as zero',
    );
    assert.equal(drawn[0].x.at(-1), '2023-03-09');
    assert.equal(drawn[0].y.at(-1), 382_079.136, '2,235,294 × 1,000,000 / 5,850,343');
    const notes = await page.locator('#notes').innerText();
    assert.match(notes, /No population in the JHU lookup table for Korea, North/);
    assert.match(notes, /Singapore 5,850,343/);
    assert.match(await page.locator('#subtitle').innerText(), /per million people/);
    const box = (await page.locator('#chart .nsewdrag').first().boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2);
    await page.waitForFunction(() =>
      /per million/.test(document.querySelector('#chart .hoverlayer')?.textContent ?? ''),
    );
    assert.match(
      (await page.locator('#download').getAttribute('href'))!,
      /^\/api\/export\.csv\?country=SG&metric=confirmed&per=million$/,
    );
    await page.getByRole('button', { name: 'Total' }).click();
    await waitForRenders(page, 3);
    assert.doesNotMatch(page.url(), /per=/);
    [singapore, korea] = await traces(page);
    assert.equal(singapore.y.at(-1), 2_235_294);
    assert.equal(korea.meta?.country, 'Korea, North');
    await page.close();
    // Opened per million: no request for a per-million series of an entry without a population
    // (the last test checks the console stayed clean).
    const shared = await open('/?countries=SG,KP&metric=cumulative&per=million');
    assert.deepEqual(
      (await traces(shared)).map((trace) => trace.meta?.country),
      ['Singapore'],
    );
    await shared.close();
  });

  it('downloads the CSV of a comma-named selection, and never saves an error as data', async () => {
    const page = await open('/?countries=SG,KR&per=million&from=2023-03-01');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download CSV' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'covid-SG-KR-confirmed-per-million.csv');
    const csv = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\n');
    assert.equal(csv.length, 1 + 2 * 9);
    assert.match(csv[0], /^country,code,metric,date,.*,population,cumulativePerMillion/);
    assert.match(csv.at(-1)!, /^"Korea, South",KR,confirmed,2023-03-09,30615522,/);
    assert.equal(await page.locator('#download-error').isVisible(), false);

    // A failing answer: the page says so and nothing is saved.
    await page.route('**/api/export.csv?**', (route) =>
      route.fulfill({
        status: 404,
        contentType: 'application/json',
        body: JSON.stringify({ statusCode: 404, message: 'Unknown country "Korea"' }),
      }),
    );
    const errorsBefore = consoleErrors.length;
    let saved = false;
    page.on('download', () => (saved = true));
    await page.getByRole('link', { name: 'Download CSV' }).click();
    await page.getByRole('alert').filter({ hasText: 'Download failed' }).waitFor();
    assert.match(
      await page.getByRole('alert').innerText(),
      /Download failed, nothing was saved: Unknown country "Korea"/,
    );
    assert.equal(saved, false);
    // Chromium reports the refused answer in the console; that one was asked for.
    const logged = consoleErrors.splice(errorsBefore);
    assert.ok(
      logged.every((line) => /status of 404/.test(line)),
      logged.join('\n'),
    );
    await page.close();
  });

  it('labels log-scale ticks as ordinary numbers, also below 1', async () => {
    const page = await open('/?countries=SG&status=deaths&scale=log');
    const ticks = await page
      .locator('#chart .ytick text')
      .evaluateAll((nodes) => nodes.map((node) => node.textContent ?? ''));
    assert.ok(ticks.length >= 3, `ticks: ${ticks.join(' ')}`);
    for (const tick of ticks) assert.match(tick, /^[\d,]+(\.\d+)?$/, `tick "${tick}"`);
    assert.ok(
      ticks.some((tick) => Number(tick) > 0 && Number(tick) < 1),
      `a tick below 1: ${ticks.join(' ')}`,
    );
    await page.close();
  });

  it('marks weekly reporting in the chart and says so in the note', async () => {
    const page = await open('/?countries=SG&from=2023-01-01');
    assert.match(
      await page.locator('#notes').innerText(),
      /Singapore reported weekly from 13 Feb 2023 \(shaded\).*spikes are not outbreaks/,
    );
    const shapes = await page.evaluate(
      () =>
        (
          document.getElementById('chart') as unknown as {
            layout: { shapes: Array<{ x0: string; x1: string }> };
          }
        ).layout.shapes,
    );
    assert.deepEqual(
      shapes.map((shape) => [shape.x0, shape.x1]),
      [['2023-02-12 12:00', '2023-03-09 12:00']],
    );
    assert.match((await page.locator('#chart .annotation').textContent())!, /reported weekly/);
    // Countries that reported daily throughout get no such note.
    const korea = await open('/?countries=KR&from=2023-01-01');
    assert.doesNotMatch(await korea.locator('#notes').innerText(), /reported weekly/);
    await korea.close();
    await page.close();
  });

  it('marks data corrections as negative days', async () => {
    const page = await open('/?countries=France&metric=daily');
    const corrections = (await traces(page)).find((trace) => trace.meta?.kind === 'corrections');
    assert.equal(corrections?.x.length, 16);
    assert.ok(corrections.y.every((y) => (y ?? 0) < 0));
    assert.match(await page.locator('#notes').innerText(), /France 16 in view/);
    await page.close();
  });

  it('fits a phone-width screen without sideways scrolling', async () => {
    const page = await open('/?countries=Singapore', 390, 844);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
    await page.screenshot({ path: join(APP_ROOT, 'docs', 'images', 'dashboard-phone.png') });
    await page.close();
  });

  it('saves the screenshot shown in the README', async () => {
    const page = await open('/?countries=SG,KR,JP&metric=daily&per=million&from=2021-09-01');
    mkdirSync(join(APP_ROOT, 'docs', 'images'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    assert.ok((await renders(page)) >= 1);
    await page.close();
  });

  it('logged no console errors on any page', () => {
    assert.deepEqual(consoleErrors, []);
  });
});
