import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestDatabase, TestDatabase } from '@des/shared/testing';
import request from 'supertest';
import { createApp } from '../app';
import { TEST_TOKEN } from '../e2e-fixtures';
import { DEMO_DEFAULTS, generateDemo } from './demo-data';
import { DemoRepository } from './demo.repository';
import { DemoService } from './demo.service';

interface ImportRow {
  fileName: string;
  status: string;
}

describe('demo data on first start (DEMO_DATA=true)', () => {
  let demoDir: string;
  const databases: TestDatabase[] = [];
  const apps: NestFastifyApplication[] = [];

  const start = async (database: TestDatabase, demoData: boolean, dir = demoDir) => {
    const app = await createApp({
      ...process.env,
      DATABASE_URL: database.url,
      LOG_LEVEL: 'silent',
      DEMO_DATA: String(demoData),
      BANNER_DEMO_DIR: dir,
      BANNER_COOKIE_SECRET: 'test-secret-of-enough-length',
      BANNER_IMPORT_TOKEN: TEST_TOKEN,
    });
    await app.init();
    apps.push(app);
    return app;
  };
  const importsOf = async (app: NestFastifyApplication): Promise<ImportRow[]> =>
    (
      await request(app.getHttpServer())
        .get('/imports?limit=500')
        .set('Authorization', `Bearer ${TEST_TOKEN}`)
        .expect(200)
    ).body.items as ImportRow[];

  before(async () => {
    demoDir = await mkdtemp(join(tmpdir(), 'banner-demo-'));
  });

  after(async () => {
    for (const app of apps) await app.close();
    for (const database of databases) await database.drop();
    await rm(demoDir, { recursive: true, force: true });
  });

  it('writes the twelve CSVs, imports them in the background and serves every campaign', async () => {
    const database = await createTestDatabase('banner_demo');
    databases.push(database);
    const app = await start(database, true);
    const deadline = Date.now() + 120_000;
    let accepted: ImportRow[] = [];
    while (accepted.length < 12 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      accepted = (await importsOf(app)).filter((i) => i.status === 'accepted');
    }
    assert.equal(accepted.length, 12, 'all twelve demo files accepted');
    const files = (await readdir(demoDir)).filter((f) => f.endsWith('.csv')).sort();
    assert.deepEqual(
      files,
      [1, 2, 3, 4]
        .flatMap((q) => ['clicks', 'conversions', 'impressions'].map((k) => `${k}_${q}.csv`))
        .sort(),
    );
    assert.deepEqual(accepted.map((i) => i.fileName).sort(), files);

    // The history is committed a moment before this replica has reloaded what it serves.
    let campaigns: unknown[] = [];
    while (campaigns.length === 0 && Date.now() < deadline) {
      campaigns = (await request(app.getHttpServer()).get('/campaigns').expect(200)).body.campaigns;
      if (!campaigns.length) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(campaigns.length, DEMO_DEFAULTS.campaigns);
    await request(app.getHttpServer())
      .get('/campaigns/1')
      .set('Accept', 'application/json')
      .expect(200);
  });

  it('does nothing on the next start: no second import, no rewrite', async () => {
    const app = await start(databases[0], true);
    assert.equal(await app.get(DemoService).loadIfEmpty(), undefined);
    const imports = await importsOf(app);
    assert.equal(imports.length, 12, 'no new import attempt');
  });

  it('two replicas starting together on an empty database import each file exactly once', async () => {
    const database = await createTestDatabase('banner_demo_race');
    databases.push(database);
    // Files already on disk are imported as they are: a small set keeps this test quick.
    const smallDir = join(demoDir, 'small');
    const small = { ...DEMO_DEFAULTS, campaigns: 10, banners: 40, impressionsPerQuarter: 2_000 };
    await new DemoRepository().write(smallDir, generateDemo(small));
    const [first, second] = [
      await start(database, false, smallDir),
      await start(database, false, smallDir),
    ];
    const results = await Promise.all([
      first.get(DemoService).loadIfEmpty(),
      second.get(DemoService).loadIfEmpty(),
    ]);
    const imported = results.reduce((sum, r) => sum + (r?.imported ?? 0), 0);
    assert.equal(imported, 12, JSON.stringify(results));
    const imports = await importsOf(first);
    const accepted = imports.filter((i) => i.status === 'accepted');
    assert.equal(accepted.length, 12);
    assert.equal(new Set(accepted.map((i) => i.fileName)).size, 12);
  });
});
