import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { Client } from 'pg';
import request from 'supertest';
import { DBGEN_SUPPLIER_LINES, WarehouseFixture } from '../testing/warehouse-fixture';

const tbl = (lines: string[]) => lines.map((line) => `${line}\n`).join('');
const withoutTrailingPipe = (line: string) => line.slice(0, -1);

/** The history as dbgen lines, for exact comparisons. */
const historyLines = (fixture: WarehouseFixture, loadId?: number) =>
  fixture
    .query<{ line: string }>(
      `SELECT concat_ws('|', s_suppkey, s_name, s_address, s_nationkey, s_phone, s_acctbal,
         s_comment) || '|' AS line
       FROM warehouse.supplier_data WHERE $1::int IS NULL OR load_id = $1
       ORDER BY load_id, s_suppkey`,
      [loadId ?? null],
    )
    .then((rows) => rows.map((row) => row.line));

describe('the supplier load over HTTP', () => {
  const fixture = new WarehouseFixture();
  const post = (query = '') => request(fixture.app.getHttpServer()).post(`/loads/supplier${query}`);
  before(() => fixture.start());
  after(() => fixture.stop());

  it('loads a dbgen night (trailing pipes, two parts, one gzipped) exactly as written', async () => {
    const parts = {
      'supplier.tbl.1': tbl(DBGEN_SUPPLIER_LINES.slice(0, 3)),
      'supplier.tbl.2.gz': gzipSync(tbl(DBGEN_SUPPLIER_LINES.slice(3))),
    };
    await fixture.night('20261201', { ...parts, 'README.txt': 'not a part: ignored' });
    const response = await post('?night=20261201').expect(201);
    const run = response.body;
    assert.equal(run.outcome, 'loaded');
    assert.equal(run.delivery, '20261201');
    assert.equal(run.process, 'service');
    assert.equal(run.rowsRead, 5);
    assert.equal(run.rowsLoaded, 5);
    assert.deepEqual(
      run.files.map((file: { name: string }) => file.name),
      ['supplier.tbl.1', 'supplier.tbl.2.gz'],
    );
    // Checksummed on the read that loads them: a gzip's bytes as on disk, before gunzip.
    assert.deepEqual(
      run.files.map((file: { sha256: string }) => file.sha256),
      Object.values(parts).map((bytes) => createHash('sha256').update(bytes).digest('hex')),
    );
    assert.ok(run.checks.length >= 10);
    assert.ok(run.checks.every((check: { passed: boolean }) => check.passed));
    assert.deepEqual(await historyLines(fixture), DBGEN_SUPPLIER_LINES);
    const [stored] = await fixture.query<{ load_ts: Date; types: string }>(
      `SELECT min(load_ts) AS load_ts, count(DISTINCT load_ts)::text || pg_typeof(min(s_acctbal))::text AS types
       FROM warehouse.supplier_data`,
    );
    assert.equal(stored.types, '1numeric');
    const detail = await request(fixture.app.getHttpServer()).get(`/loads/${run.id}`).expect(200);
    assert.deepEqual(detail.body, run);
  });

  it('skips the same night with the same content, and says which run loaded it', async () => {
    const response = await post('?night=20261201').expect(201);
    assert.equal(response.body.outcome, 'skipped');
    assert.equal(typeof response.body.sameAs, 'number');
    const [count] = await fixture.query<{ n: string }>(
      'SELECT count(*) AS n FROM warehouse.supplier_data',
    );
    assert.equal(count.n, '5');
  });

  it('appends a later night (files without trailing pipes) as its own snapshot', async () => {
    const changed = DBGEN_SUPPLIER_LINES.map(withoutTrailingPipe);
    changed[1] = changed[1].replace('4032.68', '4100.00');
    await fixture.night('20261202', { 'supplier.tbl': tbl(changed) });
    const stageOid = 'SELECT to_regclass($1)::oid::int AS oid';
    const [stage] = await fixture.query<{ oid: number }>(stageOid, ['warehouse.supplier_stage']);
    const response = await post().expect(201);
    assert.equal(response.body.delivery, '20261202', 'the newest night by default');
    assert.equal(response.body.outcome, 'loaded');
    const latest = await fixture.query<{ s_acctbal: string; load_id: number }>(
      'SELECT s_acctbal, load_id FROM warehouse.supplier_latest WHERE s_suppkey = 2',
    );
    assert.deepEqual(latest, [{ s_acctbal: '4100.00', load_id: response.body.id }]);
    assert.equal((await historyLines(fixture)).length, 10);
    // The filled stage itself became the night (its rows written once), and a fresh empty stage
    // waits for the next load.
    const [night] = await fixture.query<{ oid: number }>(stageOid, [
      `warehouse.supplier_data_${response.body.id}`,
    ]);
    assert.equal(night.oid, stage.oid);
    const [fresh] = await fixture.query(
      `SELECT c.oid <> $1 AS new, c.relpersistence::text, (SELECT count(*)::int FROM warehouse.supplier_stage) AS rows
       FROM pg_class c WHERE c.oid = 'warehouse.supplier_stage'::regclass`,
      [stage.oid],
    );
    assert.deepEqual(fresh, { new: true, relpersistence: 'p', rows: 0 });
  });

  it('keeps each night as a partition of its own, which a night’s query reads alone', async () => {
    const loaded = await fixture.query<{ id: number }>(
      "SELECT id FROM warehouse.load_runs WHERE job = 'supplier' AND outcome = 'loaded' ORDER BY id",
    );
    const partitions = await fixture.query<{ name: string; rows: number; pkey: boolean }>(
      `SELECT c.relname AS name,
         (SELECT count(*)::int FROM warehouse.supplier_data d
          WHERE d.tableoid = c.oid) AS rows,
         EXISTS (SELECT FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary) AS pkey
       FROM pg_inherits JOIN pg_class c ON c.oid = inhrelid
       WHERE inhparent = 'warehouse.supplier_data'::regclass ORDER BY c.relname`,
    );
    assert.deepEqual(
      partitions,
      loaded.map(({ id }) => ({ name: `supplier_data_${id}`, rows: 5, pkey: true })),
    );
    const plan = await fixture.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT * FROM warehouse.supplier_data WHERE load_id = ${loaded[1].id}`,
    );
    const scanned = plan.map((row) => row['QUERY PLAN']).join('\n');
    assert.match(scanned, new RegExp(`supplier_data_${loaded[1].id}\\b`));
    assert.doesNotMatch(scanned, new RegExp(`supplier_data_${loaded[0].id}\\b`));
  });

  describe('bad input: a clear error naming file, line and column; nothing loaded; recorded', () => {
    const cases: Array<{
      title: string;
      files: Record<string, string | Buffer>;
      error: RegExp;
    }> = [
      {
        title: 'a line with a missing field',
        files: {
          'supplier.tbl': tbl([
            DBGEN_SUPPLIER_LINES[0],
            '2|Supplier#000000002|89eJ5ksX3ImxJQBvxObC,|5|15-679-861-2259|4032.68|',
          ]),
        },
        error:
          /supplier\.tbl, line 2, column s_trailing: fewer fields than 7 fields and a trailing "\|"/,
      },
      {
        title: 'a line with an extra field',
        files: { 'supplier.tbl': tbl([DBGEN_SUPPLIER_LINES[0], `${DBGEN_SUPPLIER_LINES[1]}x|`]) },
        error: /supplier\.tbl, line 2, column after s_comment\|: more fields than 7/,
      },
      {
        title: 'a first line with the wrong number of fields',
        files: { 'supplier.tbl': tbl(['1|Supplier#000000001|17']) },
        error: /supplier\.tbl, line 1: expected 7 fields/,
      },
      {
        title: 'a non-numeric key',
        files: {
          'supplier.tbl': tbl([
            DBGEN_SUPPLIER_LINES[0],
            DBGEN_SUPPLIER_LINES[1].replace(/^2/, 'x2'),
          ]),
        },
        error:
          /supplier\.tbl, line 2, column s_suppkey: invalid input syntax for type integer: "x2"/,
      },
      {
        title: 'an empty key',
        files: {
          'supplier.tbl': tbl([DBGEN_SUPPLIER_LINES[0], DBGEN_SUPPLIER_LINES[1].replace(/^2/, '')]),
        },
        error: /supplier\.tbl, line 2, column s_suppkey: null value in column "s_suppkey"/,
      },
      {
        title: 'an unparsable amount',
        files: {
          'supplier.tbl': tbl([
            DBGEN_SUPPLIER_LINES[0],
            DBGEN_SUPPLIER_LINES[1],
            DBGEN_SUPPLIER_LINES[2].replace('4192.40', '4,192.40'),
          ]),
        },
        error:
          /supplier\.tbl, line 3, column s_acctbal: invalid input syntax for type numeric: "4,192\.40"/,
      },
      {
        title: 'a truncated gzip',
        files: {
          'supplier.tbl.gz': gzipSync(tbl(DBGEN_SUPPLIER_LINES)).subarray(0, 60),
        },
        error: /supplier\.tbl\.gz: truncated or corrupt gzip/,
      },
      {
        title: 'a gzip truncated after its first lines',
        files: {
          'supplier.tbl.gz': gzipSync(
            tbl(Array.from({ length: 4000 }, (_, i) => DBGEN_SUPPLIER_LINES[i % 5])),
            { level: 0 },
          ).subarray(0, 100_000),
        },
        error: /supplier\.tbl\.gz, line \d+: truncated or corrupt gzip \(unexpected end of file\)/,
      },
      {
        title: 'a phone with a letter, and an amount with three decimals, found by the checks',
        files: {
          'supplier.tbl': tbl([
            DBGEN_SUPPLIER_LINES[3].replace('25-843-787-7479', '25-84A-787-7479'),
            DBGEN_SUPPLIER_LINES[4].replace('-283.84', '-283.845'),
          ]),
        },
        error: /phone_pattern \(1: .*acctbal_in_range \(1: /,
      },
      {
        title: 'a key twice, found by the primary key built at publish',
        files: {
          'supplier.tbl.1': tbl(DBGEN_SUPPLIER_LINES.slice(0, 2)),
          'supplier.tbl.2': tbl([DBGEN_SUPPLIER_LINES[1]]),
        },
        error: /^data-quality check failed: key_unique \(1: s_suppkey is unique within the load\)$/,
      },
      {
        title: 'a value outside the spec (nationkey 31), found by the checks',
        files: {
          'supplier.tbl.1': tbl(DBGEN_SUPPLIER_LINES.slice(0, 2)),
          'supplier.tbl.2': tbl([
            DBGEN_SUPPLIER_LINES[2],
            DBGEN_SUPPLIER_LINES[3].replace('|15|25-', '|31|41-'),
          ]),
        },
        error: /nationkey_in_range \(1: s_nationkey between 0 and 24\)/,
      },
    ];
    let night = 20261210;
    for (const testCase of cases) {
      it(`refuses ${testCase.title}`, async () => {
        night += 1;
        await fixture.night(String(night), testCase.files);
        const before = await historyLines(fixture);
        const response = await post(`?night=${night}`).expect(422);
        assert.match(response.body.message, testCase.error);
        assert.equal(response.body.load.outcome, 'failed');
        assert.equal(response.body.load.error, response.body.message);
        assert.deepEqual(await historyLines(fixture), before, 'the history is unchanged');
        const [partition] = await fixture.query<{ table: string | null }>(
          "SELECT to_regclass('warehouse.supplier_data_' || $1::int)::text AS table",
          [response.body.load.id],
        );
        assert.equal(partition.table, null, 'no partition is left behind');
        const recorded = await request(fixture.app.getHttpServer())
          .get(`/loads/${response.body.load.id}`)
          .expect(200);
        assert.equal(recorded.body.error, response.body.message);
      });
    }

    it('names the files and lines of a duplicated key, in the key check sample', async () => {
      const [run] = await fixture.query<{ checks: Array<{ name: string; sample?: object[] }> }>(
        "SELECT checks FROM warehouse.load_runs WHERE error LIKE '%key_unique%'",
      );
      const check = run.checks.find((item) => item.name === 'key_unique');
      assert.deepEqual(
        check?.sample
          ?.map((row) => ({ ...row }))
          .map(({ file, line }: Record<string, unknown>) => ({ file, line })),
        [
          { file: 'supplier.tbl.1', line: 2 },
          { file: 'supplier.tbl.2', line: 1 },
        ],
      );
    });

    it('names the file and line of a row that failed a check, in the check sample', async () => {
      const response = await request(fixture.app.getHttpServer())
        .get('/loads?job=supplier&limit=1')
        .expect(200);
      const check = response.body.items[0].checks.find(
        (item: { name: string }) => item.name === 'nationkey_in_range',
      );
      assert.equal(check.passed, false);
      assert.equal(check.figure, 1);
      assert.deepEqual(
        {
          file: check.sample[0].file,
          line: check.sample[0].line,
          key: check.sample[0].s_nationkey,
        },
        { file: 'supplier.tbl.2', line: 2, key: 31 },
      );
    });

    it('refuses an empty night folder', async () => {
      await fixture.night('20261230', { 'notes.txt': 'nothing here' });
      const response = await post('?night=20261230').expect(422);
      assert.match(response.body.message, /delivery 20261230 is empty: .* holds no \.tbl/);
    });

    it('refuses a missing night', async () => {
      const response = await post('?night=20200101').expect(422);
      assert.match(response.body.message, /no delivery 20200101: .*20200101 does not exist/);
      assert.equal(response.body.load.delivery, '20200101');
    });

    it('refuses an unreadable file (a link to nowhere)', async () => {
      const folder = await fixture.night('20261231', {
        'supplier.tbl.1': tbl(DBGEN_SUPPLIER_LINES),
      });
      await symlink(join(folder, 'gone.tbl'), join(folder, 'supplier.tbl.2'));
      const response = await post('?night=20261231').expect(422);
      assert.match(response.body.message, /supplier\.tbl\.2: cannot read \(ENOENT/);
    });

    it('answers a malformed run id or paging with 400, an unknown id with 404', async () => {
      const server = fixture.app.getHttpServer();
      for (const path of ['/loads/abc', '/loads/0', '/loads/007', '/loads/2147483648']) {
        const response = await request(server).get(path).expect(400);
        assert.match(response.body.message, /^id: must be a whole number/, path);
      }
      await request(server).get('/loads?limit=0').expect(400);
      await request(server).get('/loads?job=Not_A_Job').expect(400);
      const missing = await request(server).get('/loads/2147483647').expect(404);
      assert.equal(missing.body.message, 'no load run #2147483647');
    });

    it('answers a malformed night with 400', async () => {
      const response = await post('?night=2026-12-01').expect(400);
      assert.match(response.body.message, /night must be a date as YYYYMMDD/);
    });
  });

  it('refuses a second load while one is running (409), and names it', async () => {
    const holder = new Client({ connectionString: fixture.database.url });
    await holder.connect();
    try {
      await holder.query("SELECT pg_advisory_lock(hashtext('warehouse:job:supplier'))");
      const response = await post('?night=20261201').expect(409);
      assert.match(response.body.message, /a supplier run is already in progress/);
    } finally {
      await holder.end();
    }
  });
});
