import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestDatabase } from '@des/shared/testing';
import { DataSource } from 'typeorm';
import {
  createTestDatabase,
  csv,
  startTestApp,
  TEST_TOKEN,
  TestApp,
  TestClock,
  upload,
  uploadAll,
} from '../e2e-fixtures';

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
const quarterFiles = (q: number): Array<[string, Buffer]> => [
  [`impressions_${q}.csv`, impressions],
  [`clicks_${q}.csv`, clicks],
  [`conversions_${q}.csv`, conversions],
];

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
  const history = async (limit = 50) =>
    (
      await t.http
        .get(`/imports?limit=${limit}`)
        .set('Authorization', `Bearer ${TEST_TOKEN}`)
        .expect(200)
    ).body;

  before(async () => {
    database = await createTestDatabase('banner_imports');
    t = await startTestApp(database, new TestClock(5));
  });

  after(async () => {
    await t?.app.close();
    await database?.drop();
  });

  it('requires the bearer token on every write and on the history; reads stay open', async () => {
    const none = await t.http.post('/imports').attach('file', clicks, 'clicks_1.csv').expect(401);
    assert.match(String(none.headers['www-authenticate']), /^Bearer/);
    assert.match(none.body.message, /Authorization: Bearer/);
    await t.http
      .post('/imports')
      .set('Authorization', 'Bearer not-the-token-at-all')
      .attach('file', clicks, 'clicks_1.csv')
      .expect(401);
    await t.http.post('/imports').set('Authorization', `Basic ${TEST_TOKEN}`).expect(401);
    await t.http.get('/imports').expect(401);
    await t.http.get('/datasets').expect(401);
    await t.http.delete('/quarters/1/dataset').expect(401);
    await t.http.post('/quarters/1/rollback').expect(401);
    await t.http
      .put('/banners/1/creative')
      .set('Content-Type', 'image/png')
      .send(Buffer.alloc(10))
      .expect(401);
    await t.http.get('/campaigns').expect(200);
    assert.equal(await count('imports'), 0);
  });

  it('imports the three files of a quarter in one upload and publishes the set', async () => {
    const { body } = await uploadAll(t.http, quarterFiles(1)).expect(201);
    assert.deepEqual(body.datasets, [
      { id: body.datasets[0].id, quarter: 1, status: 'published', missing: [] },
    ]);
    assert.deepEqual(
      body.imports.map((i: { kind: string; rowsTotal: number }) => [i.kind, i.rowsTotal]),
      [
        ['impressions', 17],
        ['clicks', 13],
        ['conversions', 6],
      ],
    );
    // Impressions are kept counted per (file, campaign, banner): 17 rows, 9 pairs.
    assert.equal(await count('impressions'), 9);
    // X = 6: the six converting banners, by revenue (banner 6 earned 15.50, the most).
    assert.deepEqual(await collection(10), [6, 5, 4, 3, 2, 1]);
  });

  it('publishes a quarter only when its set is complete; until then it does not serve', async () => {
    const q2 = await startTestApp(database, new TestClock(5), { BANNER_FIXED_QUARTER: '2' });
    try {
      const draft = await upload(t.http, 'impressions_2.csv', impressions).expect(201);
      assert.deepEqual(draft.body.datasets[0].missing, ['clicks', 'conversions']);
      assert.equal(draft.body.datasets[0].status, 'draft');
      await q2.app.get(DataSource).query('SELECT 1');
      assert.equal((await q2.app.inject({ method: 'GET', url: '/campaigns/10' })).statusCode, 503);
      const rest = await uploadAll(t.http, quarterFiles(2).slice(1)).expect(201);
      assert.equal(rest.body.datasets[0].status, 'published');
      let status = 503;
      for (let i = 0; i < 100 && status !== 200; i++) {
        status = (await q2.app.inject({ method: 'GET', url: '/campaigns/10' })).statusCode;
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(status, 200);
    } finally {
      await q2.app.close();
    }
  });

  it('stores nothing of a two-file upload with one bad file, and the retry imports both', async () => {
    const before = [await count('clicks'), await count('conversions'), await count('datasets')];
    const bad = csv('conversion_id,click_id,revenue', [[1, 1, 'lots']]);
    const { body } = await uploadAll(t.http, [
      ['clicks_3.csv', clicks],
      ['conversions_3.csv', bad],
    ]).expect(400);
    assert.deepEqual(body.errors, [
      {
        file: 'conversions_3.csv',
        line: 2,
        field: 'revenue',
        column: 3,
        problem:
          'must be a non-negative decimal with at most 8 digits before and 6 after the point (got "lots")',
      },
    ]);
    assert.deepEqual(
      [await count('clicks'), await count('conversions'), await count('datasets')],
      before,
    );
    const attempts = (await history()).items.slice(0, 2);
    assert.deepEqual(
      attempts.map((a: { status: string }) => a.status),
      ['rejected', 'rejected'],
    );
    assert.equal(attempts[0].uploadId, attempts[1].uploadId);
    await uploadAll(t.http, [
      ['clicks_3.csv', clicks],
      ['conversions_3.csv', conversions],
    ]).expect(201);
  });

  it('refuses an upload carrying two files of the same name, naming it, and stores nothing', async () => {
    const before = [await count('impressions'), await count('clicks'), await count('datasets')];
    const otherImpressions = csv('banner_id,campaign_id', [[7, 30]]);
    // The second name sanitises to the first: they are the same name once stored.
    const { body } = await uploadAll(t.http, [
      ['impressions_4.csv', impressions],
      ['clicks_4.csv', clicks],
      ['copy/impressions_4.csv', otherImpressions],
    ]).expect(400);
    assert.equal(
      body.message,
      'Upload refused, nothing stored: impressions_4.csv is named twice in the upload; each file of an upload needs its own name',
    );
    assert.deepEqual(
      [await count('impressions'), await count('clicks'), await count('datasets')],
      before,
    );
    const attempts = (await history()).items.slice(0, 3);
    assert.deepEqual(
      attempts.map((a: { fileName: string; status: string }) => [a.fileName, a.status]),
      [
        ['impressions_4.csv', 'rejected'],
        ['clicks_4.csv', 'rejected'],
        ['impressions_4.csv', 'rejected'],
      ],
    );
  });

  it('treats the same bytes as a duplicate only within the same quarter and kind', async () => {
    // The clicks of quarter 1 are also valid clicks of quarter 4.
    await upload(t.http, 'renamed.csv', clicks, { kind: 'clicks', quarter: '4' }).expect(201);
    const before = await count('clicks');
    const { body } = await upload(t.http, 'again.csv', clicks, {
      kind: 'clicks',
      quarter: '1',
    }).expect(409);
    assert.equal(body.files[0].duplicateOf.fileName, 'clicks_1.csv');
    assert.match(body.message, /again\.csv has the same content as import #\d+ \(clicks_1\.csv/);
    assert.equal(await count('clicks'), before);
  });

  it('skips clicks already stored with the same values and refuses a click id stored with another banner, naming the line', async () => {
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
      [body.imports[0].rowsTotal, body.imports[0].rowsInserted, body.imports[0].rowsSkipped],
      [3, 1, 2],
    );
    const conflicting = csv('click_id,banner_id,campaign_id', [
      [15, 7, 10],
      [3, 5, 10],
    ]);
    const refused = await upload(t.http, 'conflict.csv', conflicting, {
      kind: 'clicks',
      quarter: '1',
    }).expect(409);
    assert.equal(refused.body.errors[0].line, 3);
    assert.match(
      refused.body.errors[0].problem,
      /^3 is already stored \(clicks_1\.csv\) with banner_id 2, campaign_id 10; this line says banner_id 5, campaign_id 10$/,
    );
  });

  it('rejects a file with any invalid row whole, naming line, field and column, storing nothing', async () => {
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
      ],
    );
    assert.match(body.message, /line 3 click_id/);
    assert.equal(await count('conversions'), before);
    const repeated = csv('conversion_id,click_id,revenue', [
      [100, 1, '3.10'],
      [100, 3, '1.00'],
    ]);
    const again = await upload(t.http, 'conversions_1.csv', repeated).expect(400);
    assert.deepEqual(again.body.errors[0], {
      file: 'conversions_1.csv',
      line: 3,
      field: 'conversion_id',
      problem: '100 already appears on line 2',
    });
    const badHeader = await upload(
      t.http,
      'clicks_2.csv',
      csv('click,banner_id,campaign_id', [[1, 2, 3]]),
    ).expect(400);
    assert.equal(badHeader.body.errors[0].line, 1);
    assert.match(badHeader.body.errors[0].problem, /header must be click_id,banner_id,campaign_id/);
  });

  it('answers 400 naming line and column for a NUL in a cell, and sanitises the file name (issue 24)', async () => {
    const withNul = Buffer.from('click_id,banner_id,campaign_id\n1,2,10\n2,3\u0000,10\n');
    const { body } = await upload(t.http, 'bad\u0000name/../x\u202e.csv', withNul, {
      kind: 'clicks',
      quarter: '1',
    }).expect(400);
    assert.deepEqual(body.errors[0], {
      file: 'x_.csv',
      line: 3,
      field: 'banner_id',
      column: 2,
      problem: 'contains a NUL character (got "3\\u0000")',
    });
    const stored = (await history(1)).items[0];
    assert.equal(stored.fileName, 'x_.csv');
    assert.equal(stored.status, 'rejected');
  });

  it('keeps a bounded sample of a rejected file, never the file (issue 24)', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => [i + 1, 'x'.repeat(200), 10]);
    const { body } = await upload(
      t.http,
      'clicks_1.csv',
      csv('click_id,banner_id,campaign_id', rows),
    ).expect(400);
    assert.equal(body.files[0].errorCount, 5000);
    assert.equal(body.errors.length, 100);
    assert.match(body.errors[0].problem, /got "x{40}…"/);
    const oneLine = Buffer.from(`click_id,banner_id,campaign_id\n${'9'.repeat(1024 * 1024)}\n`);
    const long = await upload(t.http, 'clicks_1.csv', oneLine).expect(400);
    assert.match(long.body.errors[0].problem, /a record longer than 4096 bytes/);
    const stored = (await history(2)).items;
    for (const attempt of stored) assert.ok(JSON.stringify(attempt).length < 40_000);
  });

  it('reports anomalies with counts and sample lines, and refuses them in strict mode', async () => {
    const orphanClicks = csv('click_id,banner_id,campaign_id', [
      [500, 90, 99],
      [501, 91, 99],
    ]);
    const orphanConversions = csv('conversion_id,click_id,revenue', [
      [500, 9999, '1.00'],
      [501, 2, '1.00'],
    ]);
    const strict = await uploadAll(t.http, [
      ['clicks_1.csv', orphanClicks],
      ['conversions_1.csv', orphanConversions],
    ])
      .field('strict', 'true')
      .expect(400);
    assert.match(strict.body.message, /anomalies refused in strict mode/);
    const { body } = await uploadAll(t.http, [
      ['clicks_1.csv', orphanClicks],
      ['conversions_1.csv', orphanConversions],
    ]).expect(201);
    assert.deepEqual(body.imports[0].report, {
      clicksWithoutImpressions: { count: 2, sampleLines: [2, 3] },
    });
    assert.deepEqual(body.imports[1].report, {
      conversionsWithoutClick: { count: 1, sampleLines: [2] },
    });
  });

  it('accepts a last line without line ending when it is a complete row, and says so', async () => {
    const noNewline = Buffer.from('click_id,banner_id,campaign_id\n700,1,10\n701,2,10');
    const { body } = await upload(t.http, 'tail.csv', noNewline, {
      kind: 'clicks',
      quarter: '1',
    }).expect(201);
    assert.deepEqual(body.imports[0].report, { lastLineWithoutLineEnding: 3 });
    const cut = Buffer.from('click_id,banner_id,campaign_id\n702,1,10\n703,2');
    const refused = await upload(t.http, 'cut.csv', cut, { kind: 'clicks', quarter: '1' }).expect(
      400,
    );
    assert.equal(refused.body.errors[0].line, 3);
    assert.match(refused.body.errors[0].problem, /expected 3 fields/);
  });

  it('answers 413 naming the configurable limit', async () => {
    const small = await startTestApp(database, new TestClock(5), { BANNER_MAX_UPLOAD_MB: '1' });
    try {
      const big = csv(
        'banner_id,campaign_id',
        Array.from({ length: 250_000 }, () => [1, 10]),
      );
      const { body } = await upload(small.http, 'impressions_1.csv', big).expect(413);
      assert.match(
        body.message,
        /impressions_1\.csv is larger than the upload limit of 1 MB per file \(BANNER_MAX_UPLOAD_MB\)/,
      );
    } finally {
      await small.app.close();
    }
  });

  it('pages the history', async () => {
    const all = await history(500);
    const page = (
      await t.http
        .get('/imports?limit=2&offset=1')
        .set('Authorization', `Bearer ${TEST_TOKEN}`)
        .expect(200)
    ).body;
    assert.equal(page.total, all.total);
    assert.deepEqual(
      page.items.map((i: { id: number }) => i.id),
      all.items.slice(1, 3).map((i: { id: number }) => i.id),
    );
    for (const query of ['limit=0', 'limit=501', 'offset=-1', 'limit=abc'])
      await t.http
        .get(`/imports?${query}`)
        .set('Authorization', `Bearer ${TEST_TOKEN}`)
        .expect(400);
  });

  it('lists datasets with files, replaces a quarter, rolls back and deletes', async () => {
    const auth = { Authorization: `Bearer ${TEST_TOKEN}` };
    const listed = (await t.http.get('/datasets?quarter=1').set(auth).expect(200)).body;
    const published = listed.items.find((d: { status: string }) => d.status === 'published');
    assert.deepEqual([...new Set(published.files.map((f: { kind: string }) => f.kind))].sort(), [
      'clicks',
      'conversions',
      'impressions',
    ]);
    assert.equal(published.files[0].importedBy, 'tester');
    assert.match(published.files[0].sha256, /^[0-9a-f]{64}$/);
    const before = await collection(10);

    const other = csv('conversion_id,click_id,revenue', [[1, 1, '99.00']]);
    const replaced = await uploadAll(
      t.http,
      [
        ['impressions.csv', impressions],
        ['clicks.csv', clicks],
        ['conversions.csv', other],
      ],
      '/quarters/1/dataset',
      'put',
    ).expect(200);
    assert.equal(replaced.body.datasets[0].status, 'published');
    // One converting banner (1), then the most clicked others.
    assert.deepEqual((await collection(10))?.slice(0, 1), [1]);
    await uploadAll(
      t.http,
      [['impressions.csv', impressions]],
      '/quarters/1/dataset',
      'put',
    ).expect(400);

    const rollback = await t.http.post('/quarters/1/rollback').set(auth).expect(200);
    assert.equal(rollback.body.to, published.id);
    assert.deepEqual(await collection(10), before);

    await t.http.delete('/quarters/1/dataset').set(auth).expect(200);
    assert.equal(await collection(10), undefined);
    assert.equal((await t.app.inject({ method: 'GET', url: '/campaigns/10' })).statusCode, 503);
    await t.http.post('/quarters/1/rollback').set(auth).expect(409);
    await t.http.delete('/quarters/5/dataset').set(auth).expect(400);
  });
});
