import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import request from 'supertest';
import { DBGEN_SUPPLIER_LINES, WarehouseFixture } from '../testing/warehouse-fixture';
import { generateSupplierFiles } from './generator/supplier-files';
import { psqlCheckStatement } from './supplier-checks';

const SQL_DIR = join(__dirname, '..', '..', 'sql');
const tbl = (lines: string[]) => lines.map((line) => `${line}\n`).join('');

/** Runs the operator's wrapper (bash + psql, no Node) on a night folder against a database. */
function runPsqlProcess(folder: string, databaseUrl: string) {
  const result = spawnSync('bash', [join(SQL_DIR, 'load-supplier.sh'), folder], {
    env: { ...process.env, WAREHOUSE_LOAD_DATABASE_URL: databaseUrl },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The rows of one load, every column but load_ts and load_id, in key order. */
async function loadRows(fixture: WarehouseFixture, loadId: number) {
  return fixture.query(
    `SELECT s_suppkey, s_name, s_address, s_nationkey, s_phone, s_acctbal::text, s_comment
     FROM warehouse.supplier_data WHERE load_id = $1 ORDER BY s_suppkey`,
    [loadId],
  );
}

async function latestRun(fixture: WarehouseFixture) {
  const response = await request(fixture.app.getHttpServer()).get('/loads?limit=1').expect(200);
  return response.body.items[0];
}

describe('the psql process (sql/load-supplier.sh) and the service give the same rows', () => {
  const service = new WarehouseFixture();
  const operator = new WarehouseFixture();
  before(() => Promise.all([service.start(), operator.start()]));
  after(() => Promise.all([service.stop(), operator.stop()]));

  it('runs the very checks of the service (the script holds their generated text)', () => {
    const script = readFileSync(join(SQL_DIR, 'load-supplier.sql'), 'utf8');
    const block = /-- checks:begin[^\n]*\n([\s\S]*?)\n-- checks:end/.exec(script)?.[1];
    assert.equal(block, psqlCheckStatement());
  });

  it('loads the same night (gzipped parts with trailing pipes) to identical rows and records', async () => {
    const folder = join(service.sourceDir, 'supplier', '20261201');
    await generateSupplierFiles({
      scale: 0.3,
      out: folder,
      format: 'tbl.gz',
      parts: 3,
      trailingPipe: true,
    });
    const byService = (
      await request(service.app.getHttpServer()).post('/loads/supplier').expect(201)
    ).body;
    const result = runPsqlProcess(folder, operator.database.url);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /supplier 20261201: run #\d+ loaded 3000 rows/);
    const byPsql = await latestRun(operator);
    assert.equal(byPsql.process, 'psql');
    assert.equal(byPsql.outcome, 'loaded');
    assert.equal(byPsql.runBy, 'warehouse_load');
    for (const field of [
      'delivery',
      'files',
      'contentSha256',
      'rowsRead',
      'rowsLoaded',
      'checks',
    ]) {
      assert.deepEqual(byPsql[field], byService[field], field);
    }
    const rows = await loadRows(operator, byPsql.id);
    assert.equal(rows.length, 3000);
    assert.deepEqual(rows, await loadRows(service, byService.id));
  });

  it('skips the same night with the same content', async () => {
    const result = runPsqlProcess(
      join(service.sourceDir, 'supplier', '20261201'),
      operator.database.url,
    );
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /skipped: same content as run #\d+/);
    assert.equal((await latestRun(operator)).outcome, 'skipped');
  });

  for (const [night, title, badLine] of [
    ['20261202', 'a bad value', DBGEN_SUPPLIER_LINES[1].replace(/^2/, 'x2')],
    ['20261204', 'an empty key', DBGEN_SUPPLIER_LINES[1].replace(/^2/, '')],
  ]) {
    it(`rolls back and records ${title} with the file, line and column, as the service does`, async () => {
      const folder = await service.night(night, {
        'supplier.tbl': tbl([DBGEN_SUPPLIER_LINES[0], badLine]),
      });
      const before = await operator.query('SELECT count(*) FROM warehouse.supplier_data');
      const result = runPsqlProcess(folder, operator.database.url);
      assert.equal(result.status, 1);
      const byService = await request(service.app.getHttpServer())
        .post(`/loads/supplier?night=${night}`)
        .expect(422);
      assert.match(byService.body.message, /^supplier\.tbl, line 2, column s_suppkey: /);
      const failed = await latestRun(operator);
      assert.equal(failed.outcome, 'failed');
      assert.equal(failed.error, byService.body.message);
      assert.deepEqual(
        await operator.query('SELECT count(*) FROM warehouse.supplier_data'),
        before,
      );
    });
  }

  for (const [night, title, lines, message] of [
    [
      '20261203',
      'a row rule',
      [DBGEN_SUPPLIER_LINES[0], DBGEN_SUPPLIER_LINES[1].replace('|5|15-', '|5|16-')],
      /phone_pattern \(1: /,
    ],
    [
      '20261205',
      'key uniqueness (the primary key built at publish)',
      [DBGEN_SUPPLIER_LINES[0], DBGEN_SUPPLIER_LINES[1], DBGEN_SUPPLIER_LINES[0]],
      /^data-quality check failed: key_unique \(1: s_suppkey is unique within the load\)$/,
    ],
  ] as const) {
    it(`fails a night that breaks ${title}, with the same message as the service`, async () => {
      const folder = await service.night(night, { 'supplier.tbl': tbl([...lines]) });
      const result = runPsqlProcess(folder, operator.database.url);
      assert.equal(result.status, 1);
      const byService = await request(service.app.getHttpServer())
        .post(`/loads/supplier?night=${night}`)
        .expect(422);
      assert.match(byService.body.message, message);
      assert.equal((await latestRun(operator)).error, byService.body.message);
    });
  }

  it('is refused (exit 3) while a supplier load holds the lock', async () => {
    const holder = new Client({ connectionString: operator.database.url });
    await holder.connect();
    try {
      await holder.query("SELECT pg_advisory_lock(hashtext('warehouse:job:supplier'))");
      const result = runPsqlProcess(
        join(service.sourceDir, 'supplier', '20261202'),
        operator.database.url,
      );
      assert.equal(result.status, 3);
      assert.match(result.stderr, /a supplier run is already in progress/);
    } finally {
      await holder.end();
    }
  });
});
