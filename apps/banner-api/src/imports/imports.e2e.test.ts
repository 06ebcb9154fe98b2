import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestDatabase } from '@des/shared/testing';
import { DataSource } from 'typeorm';
import { createTestDatabase, csv, startTestApp, TestApp, upload } from '../e2e-fixtures';

const impressions = csv('banner_id,campaign_id', [
  ...[1, 2, 3, 4, 5, 6, 7, 8].flatMap((banner) => [
    [banner, 10],
    [banner, 10],
  ]),
  [50, 20],
]);
// Banners 1-6 of campaign 10 get clicks 1-12 (two each); banner 50 of campaign 20 gets click 13.
const clicks = csv('click_id,banner_id,campaign_id', [
  ...Array.from({ length: 12 }, (_, i) => [i + 1, Math.floor(i / 2) + 1, 10]),
  [13, 50, 20],
]);
const conversions = csv(
  'conversion_id,click_id,revenue',
  [1, 3, 5, 7, 9, 11].map((click, i) => [i + 1, click, `${10 + i}.50`]),
);

describe('imports (e2e)', () => {
  let database: TestDatabase;
  let t: TestApp;
  const count = async (table: string) =>
    Number((await t.app.get(DataSource).query(`SELECT count(*) AS n FROM banner.${table}`))[0].n);
  const collection = async (campaignId: number) => {
    const { body } = await t.http.get('/campaigns').expect(200);
    return (body.campaigns as Array<{ campaignId: number; bannerIds: number[] }>).find(
      (c) => c.campaignId === campaignId,
    )?.bannerIds;
  };

  before(async () => {
    database = await createTestDatabase('banner_imports');
    t = await startTestApp(database);
  });

  after(async () => {
    await t?.app.close();
    await database?.drop();
  });

  it('imports the three files of a quarter and serves from them', async () => {
    for (const [name, content] of [
      ['impressions_1.csv', impressions],
      ['clicks_1.csv', clicks],
      ['conversions_1.csv', conversions],
    ] as const) {
      const { body } = await upload(t.http, name, content).expect(201);
      assert.equal(body.imports[0].rowsSkipped, 0);
    }
    assert.equal(await count('impressions'), 17);
    // X = 6: the six converting banners, by revenue (banner 6 earned 15.50, the most).
    assert.deepEqual(await collection(10), [6, 5, 4, 3, 2, 1]);
    const { body } = await t.http
      .get('/campaigns/10')
      .set('Accept', 'application/json')
      .expect(200);
    assert.equal(body.campaignId, 10);
    assert.equal(body.quarter, 1);
    assert.ok([1, 2, 3, 4, 5, 6].includes(body.bannerId));
    assert.equal(body.imageUrl, `/images/image_${body.bannerId}.png`);
  });

  it('answers 409 naming the earlier import for a file already imported under another name, and stores nothing', async () => {
    const before = await count('clicks');
    const { body } = await upload(t.http, 'renamed.csv', clicks, {
      kind: 'clicks',
      quarter: '3',
    }).expect(409);
    assert.equal(body.duplicateOf.fileName, 'clicks_1.csv');
    assert.match(body.message, new RegExp(`import #${body.duplicateOf.id} \\(clicks_1\\.csv`));
    assert.equal(await count('clicks'), before);
    assert.deepEqual(await collection(10), [6, 5, 4, 3, 2, 1]);
  });

  it('skips and counts rows already present when a file overlaps earlier ones', async () => {
    const overlapping = csv('click_id,banner_id,campaign_id', [
      [1, 1, 10],
      [2, 1, 10],
      [14, 7, 10],
    ]);
    const { body } = await upload(t.http, 'more-clicks.csv', overlapping, {
      kind: 'clicks',
      quarter: '1',
    }).expect(201);
    assert.deepEqual(
      {
        total: body.imports[0].rowsTotal,
        inserted: body.imports[0].rowsInserted,
        skipped: body.imports[0].rowsSkipped,
      },
      { total: 3, inserted: 1, skipped: 2 },
    );
    assert.equal(await count('clicks'), 14);
  });

  it('rejects a file with any invalid row whole, with line numbers, storing nothing', async () => {
    const before = await count('conversions');
    const invalid = csv('conversion_id,click_id,revenue', [
      [100, 1, '3.10'],
      [101, 'abc', '2.00'],
      [102, 2, '-4'],
      [100, 3, '1.00'],
    ]);
    const { body } = await upload(t.http, 'conversions_1.csv', invalid).expect(400);
    assert.deepEqual(
      body.errors.map((e: { line: number; field: string }) => [e.line, e.field]),
      [
        [3, 'click_id'],
        [4, 'revenue'],
        [5, 'conversion_id'],
      ],
    );
    assert.match(body.message, /line 3 click_id/);
    assert.equal(await count('conversions'), before);

    const badHeader = await upload(
      t.http,
      'clicks_2.csv',
      csv('click,banner_id,campaign_id', [[1, 2, 3]]),
    ).expect(400);
    assert.equal(badHeader.body.errors[0].line, 1);
    await upload(t.http, 'whatever.csv', clicks.subarray(0, 40)).expect(400);
  });

  it('keeps conversions of unknown clicks and counts them once the click arrives', async () => {
    const early = csv('conversion_id,click_id,revenue', [[50, 500, '999.00']]);
    const { body } = await upload(t.http, 'late.csv', early, {
      kind: 'conversions',
      quarter: '1',
    }).expect(201);
    assert.equal(body.imports[0].unmatchedConversions, 1);
    assert.deepEqual(await collection(10), [6, 5, 4, 3, 2, 1]);
    await upload(t.http, 'click-500.csv', csv('click_id,banner_id,campaign_id', [[500, 8, 10]]), {
      kind: 'clicks',
      quarter: '1',
    }).expect(201);
    assert.deepEqual(await collection(10), [8, 6, 5, 4, 3, 2, 1]);
  });

  it('lists every attempt with its outcome, counts and reasons', async () => {
    const { body } = await t.http.get('/imports').expect(200);
    const statuses = body.map((i: { status: string }) => i.status).reverse();
    assert.deepEqual(statuses, [
      'accepted',
      'accepted',
      'accepted',
      'duplicate',
      'accepted',
      'rejected',
      'rejected',
      'rejected',
      'accepted',
      'accepted',
    ]);
    const duplicate = body.find((i: { status: string }) => i.status === 'duplicate');
    assert.ok(duplicate.duplicateOf > 0 && duplicate.reason.includes('same content'));
    const rejected = body.find(
      (i: { fileName: string; status: string }) =>
        i.fileName === 'conversions_1.csv' && i.status === 'rejected',
    );
    assert.equal(rejected.errors.length, 3);
  });

  it('refuses a request without a file or with bad fields', async () => {
    await t.http.post('/imports').send({ kind: 'clicks' }).expect(400);
    const { body } = await upload(t.http, 'x.csv', clicks, { kind: 'views', quarter: '5' }).expect(
      400,
    );
    assert.match(body.message, /kind/);
    assert.match(body.message, /quarter/);
  });
});
