import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { WarehouseFixture } from '../testing/warehouse-fixture';
import { ParquetFileWriter } from '../parquet';
import {
  MARKETING_PARQUET_COLUMNS,
  marketingRows,
  writeDeliveryFiles,
} from './marketing-generator';
import {
  expectedWeekly,
  marketingDelivery,
  SAMPLE_PARQUET,
  WEEKLY_ROWS_SQL,
  type WeeklyRow,
} from './organic-share.fixtures';

interface CheckBody {
  name: string;
  passed: boolean;
  figure: number;
  severity: string;
  sample?: Array<Record<string, unknown>>;
}

function assertSameWeekly(actual: WeeklyRow[], expected: WeeklyRow[]): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    const { share: actualShare, ...actualRest } = actual[i]!;
    const { share: expectedShare, ...expectedRest } = expected[i]!;
    assert.deepEqual(actualRest, expectedRest);
    if (expectedShare === null) assert.equal(actualShare, null, JSON.stringify(actual[i]));
    else
      assert.ok(
        Math.abs(actualShare! - expectedShare) <= 1e-6,
        JSON.stringify([actual[i], expected[i]]),
      );
  }
}

describe('organic-share job on the shipped sample', () => {
  const fixture = new WarehouseFixture();
  const http = () => request(fixture.app.getHttpServer());
  before(async () => {
    await fixture.start({ WAREHOUSE_ORGANIC_SHARE_CRON: 'off' });
    await marketingDelivery(fixture, '20211214', {
      'sample.snappy.parquet': { copyOf: SAMPLE_PARQUET },
    });
  });
  after(() => fixture.stop());

  it('POST /jobs/organic-share/runs loads it, records every check with its figure, and publishes the weekly table', async () => {
    const response = await http().post('/jobs/organic-share/runs?delivery=20211214').expect(201);
    assert.equal(response.body.job, 'organic-share');
    assert.equal(response.body.outcome, 'loaded');
    assert.equal(response.body.rowsRead, 9330);
    assert.equal(response.body.rowsLoaded, 9330);
    const checks = response.body.checks as CheckBody[];
    assert.deepEqual(
      checks.map((check) => check.name),
      [
        'rows_staged_equal_rows_read',
        'not_null',
        'year_week_format',
        'year_week_is_iso_week_of_start_date',
        'end_date_equals_start_date',
        'value_whole_non_negative',
        'country_in_configured_set',
        'os_name_in_configured_set',
        'natural_key_unique',
        'result_one_row_per_week_and_country',
        'result_share_in_0_1',
        'weekly_total_within_recent_range',
      ],
    );
    assert.ok(
      checks
        .filter((check) => check.severity === 'error')
        .every(
          (check) =>
            check.passed &&
            check.figure === (check.name === 'rows_staged_equal_rows_read' ? 9330 : 0),
        ),
    );

    // The same record is what GET /loads/:id shows.
    const record = await http().get(`/loads/${response.body.id}`).expect(200);
    assert.deepEqual(record.body.checks, response.body.checks);
  });

  it('types every raw column: dates, the INT96 time with its microseconds, whole users', async () => {
    const [row] = await fixture.query<Record<string, string>>(`
      SELECT pg_typeof(start_date)::text AS day_type, pg_typeof(dataplatform_inserted_at)::text AS ts_type,
        pg_typeof(value)::text AS value_type, to_char(dataplatform_inserted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS ts
      FROM warehouse.marketing_daily WHERE start_date = '2020-12-17' AND country = 'GB' AND os_name = 'ios' AND name = 'Website'`);
    assert.deepEqual(row, {
      day_type: 'date',
      ts_type: 'timestamp with time zone',
      value_type: 'integer',
      ts: '2020-12-24 13:12:53.538505',
    });
  });

  it('matches an independent computation: ISO weeks, a continuous spine per country, a 4-week window across the year boundary', async () => {
    const weekly = await fixture.query<WeeklyRow & Record<string, unknown>>(WEEKLY_ROWS_SQL);
    assertSameWeekly(weekly, await expectedWeekly([SAMPLE_PARQUET]));
    assert.deepEqual([...new Set(weekly.map((row) => row.country))], ['FR', 'GB', 'IT']);
    const gb = weekly.filter((row) => row.country === 'GB');
    const w53 = gb.findIndex((row) => row.year === 2020 && row.week === 53);
    assert.ok(w53 > 0, '2020-W53 exists');
    assert.deepEqual(
      [gb[w53 + 1]!.year, gb[w53 + 1]!.week, gb[w53 + 1]!.week_start],
      [2021, 1, '2021-01-04'],
    );
    // The spine has weeks without rows: their figures rest on fewer than 4 weeks of data.
    assert.ok(weekly.some((row) => row.weeks_with_data < 4 && row.weeks_with_data > 0));
  });

  it('GET /organic-share filters by country and month range, as JSON and as CSV', async () => {
    const json = await http().get('/organic-share?country=GB&from=2021-01&to=2021-12').expect(200);
    const weeks = json.body.weeks as Array<{ country: string; weekStart: string; year: number }>;
    assert.ok(weeks.length > 0);
    assert.ok(
      weeks.every(
        (week) =>
          week.country === 'GB' && week.weekStart >= '2021-01-01' && week.weekStart <= '2021-12-31',
      ),
    );
    const csv = await http()
      .get('/organic-share?country=GB&from=2021-01&to=2021-12&format=csv')
      .expect(200);
    assert.match(csv.headers['content-type'], /^text\/csv/);
    const lines = csv.text.trim().split('\n');
    assert.equal(
      lines[0],
      'year,week,week_start,country,organic_users_p4w,total_users_p4w,share_organic_p4w,weeks_with_data_p4w,computed_at',
    );
    assert.equal(lines.length, weeks.length + 1);
    const viaAccept = await http()
      .get('/organic-share?country=GB&from=2020-W53&to=2020-W53')
      .set('Accept', 'text/csv')
      .expect(200);
    assert.match(viaAccept.text.split('\n')[1]!, /^2020,53,2020-12-28,GB,/);
  });

  it('GET /organic-share answers bad filters with 400 naming them', async () => {
    for (const [query, message] of [
      ['country=gb', /country must be an upper-case country code/],
      ['from=2021-13', /from must be a month YYYY-MM or an ISO week/],
      ['to=2021-W54', /to must be a month/],
      ['from=2021-W53', /ISO year 2021 has no week 53/],
      ['from=2021-06&to=2021-01', /from \(2021-06\) is after to \(2021-01\)/],
      ['format=xml', /format must be json or csv/],
    ] as const) {
      const response = await http().get(`/organic-share?${query}`).expect(400);
      assert.match(JSON.stringify(response.body.message), message, query);
    }
  });

  it('documents both operations in OpenAPI: summary, a 2xx with a schema, error responses, examples', async () => {
    const { body: doc } = await http().get('/docs/openapi.json').expect(200);
    const operations = [
      doc.paths['/jobs/organic-share/runs'].post,
      doc.paths['/organic-share'].get,
    ];
    for (const operation of operations) {
      assert.ok(operation.summary.length > 20, operation.operationId);
      const success = Object.entries(operation.responses).filter(([status]) =>
        status.startsWith('2'),
      );
      assert.ok(
        success.length > 0 &&
          success.every(([, response]) => (response as { content?: object }).content),
      );
      assert.ok(Object.keys(operation.responses).some((status) => status.startsWith('4')));
    }
    const listSchema = doc.components.schemas.OrganicShareWeekView;
    assert.equal(listSchema.properties.weekStart.example, '2020-12-28');
    assert.match(
      doc.paths['/organic-share'].get.responses['200'].content['text/csv'].schema.example,
      /^year,week,week_start/,
    );
    const parameters = [
      ...doc.paths['/organic-share'].get.parameters,
      ...doc.paths['/jobs/organic-share/runs'].post.parameters,
    ] as Array<{ name: string; schema: { example?: unknown } }>;
    assert.deepEqual(
      parameters
        .filter((parameter) => parameter.schema.example === undefined)
        .map((parameter) => parameter.name),
      [],
    );
  });

  it('the same delivery again is skipped (content hash), and the tables do not change', async () => {
    const before = await fixture.query(WEEKLY_ROWS_SQL);
    const response = await http().post('/jobs/organic-share/runs?delivery=20211214').expect(201);
    assert.equal(response.body.outcome, 'skipped');
    assert.deepEqual(await fixture.query(WEEKLY_ROWS_SQL), before);
  });
});

describe('organic-share job: deliveries over time', () => {
  const fixture = new WarehouseFixture();
  const http = () => request(fixture.app.getHttpServer());
  before(() =>
    fixture.start({
      WAREHOUSE_ORGANIC_SHARE_CRON: 'off',
      WAREHOUSE_MARKETING_COUNTRIES: 'GB,FR,IT,DE',
    }),
  );
  after(() => fixture.stop());

  const options = {
    from: '2020-11-02',
    days: 120,
    countries: ['GB', 'FR', 'IT', 'DE'],
    channels: 6,
    seed: 7,
  };

  it('the same data split over several zstd files in shuffled order gives an identical weekly table', async () => {
    const rows = [...marketingRows(options)];
    const one = join(fixture.sourceDir, 'marketing', '20210301');
    const { paths: single } = await writeDeliveryFiles(one, rows, { codec: 'snappy' });
    assert.equal(
      (await http().post('/jobs/organic-share/runs?delivery=20210301').expect(201)).body.outcome,
      'loaded',
    );
    const fromOneFile = await fixture.query<WeeklyRow & Record<string, unknown>>(WEEKLY_ROWS_SQL);
    assertSameWeekly(fromOneFile, await expectedWeekly(single));

    await fixture.query('DELETE FROM warehouse.marketing_daily');
    await fixture.query('DELETE FROM warehouse.organic_share_weekly');
    const split = join(fixture.sourceDir, 'marketing', '20210302');
    const { paths } = await writeDeliveryFiles(split, rows, {
      codec: 'zstd',
      files: 4,
      rowGroupSize: 500,
      shuffleSeed: 3,
    });
    assert.equal(paths.length, 4);
    const run = await http().post('/jobs/organic-share/runs?delivery=20210302').expect(201);
    assert.equal(run.body.outcome, 'loaded');
    assert.equal(run.body.files.length, 4);
    assert.deepEqual(await fixture.query(WEEKLY_ROWS_SQL), fromOneFile);
  });

  it('a later delivery replaces a key only when its dataplatform_inserted_at is newer', async () => {
    const [existing] = await fixture.query<{ day: string; year_week: string; value: number }>(
      `SELECT to_char(start_date, 'YYYY-MM-DD') AS day, year_week, value FROM warehouse.marketing_daily
       WHERE start_date >= '2021-02-08' AND country = 'GB' AND os_name = 'all' AND name = 'Organic'
       ORDER BY start_date LIMIT 1`,
    );
    const { day, year_week: yearWeek, value } = existing!;
    const key = `start_date = '${day}' AND country = 'GB' AND os_name = 'all' AND name = 'Organic'`;
    const spike = value + 100_000;
    const oneRow = (insertedAt: string) => [
      ['Organic', spike, day, day, yearWeek, false, 'tok', new Date(insertedAt), 'GB', 'all'],
    ];
    await writeDeliveryFiles(
      join(fixture.sourceDir, 'marketing', '20210303'),
      oneRow('2020-01-01T00:00:00Z'),
    );
    const older = await http().post('/jobs/organic-share/runs?delivery=20210303').expect(201);
    assert.equal(older.body.rowsLoaded, 0);
    assert.deepEqual(
      await fixture.query(`SELECT value FROM warehouse.marketing_daily WHERE ${key}`),
      [{ value }],
    );

    await writeDeliveryFiles(
      join(fixture.sourceDir, 'marketing', '20210304'),
      oneRow('2022-01-01T00:00:00Z'),
    );
    const newer = await http().post('/jobs/organic-share/runs?delivery=20210304').expect(201);
    assert.equal(newer.body.outcome, 'loaded');
    assert.equal(newer.body.rowsLoaded, 1);
    assert.deepEqual(
      await fixture.query(`SELECT value FROM warehouse.marketing_daily WHERE ${key}`),
      [{ value: spike }],
    );
    // A week with 100,000 more users than its recent range: a warning in the record, not a failure.
    const warning = (newer.body.checks as CheckBody[]).find(
      (check) => check.name === 'weekly_total_within_recent_range',
    )!;
    assert.deepEqual(
      {
        severity: warning.severity,
        passed: warning.passed,
        figure: warning.figure,
        country: warning.sample?.[0]?.country,
      },
      { severity: 'warning', passed: false, figure: 1, country: 'GB' },
    );
  });

  describe('bad input: the run fails, names the file and column, and publishes nothing', () => {
    let published: unknown[];
    before(async () => {
      published = await fixture.query(WEEKLY_ROWS_SQL);
      assert.ok(published.length > 0);
    });

    async function failedRun(delivery: string, files: Parameters<typeof marketingDelivery>[2]) {
      await marketingDelivery(fixture, delivery, files);
      const response = await http()
        .post(`/jobs/organic-share/runs?delivery=${delivery}`)
        .expect(422);
      assert.equal(response.body.load.outcome, 'failed');
      assert.deepEqual(
        await fixture.query(WEEKLY_ROWS_SQL),
        published,
        'the previous weekly table stays',
      );
      const [record] = await fixture.query<{ outcome: string; error: string }>(
        'SELECT outcome, error FROM warehouse.load_runs WHERE id = $1',
        [response.body.load.id],
      );
      assert.equal(record!.outcome, 'failed');
      assert.equal(record!.error, response.body.message);
      return response.body as { message: string; load: { checks: CheckBody[] } };
    }

    it('a file that is not Parquet', async () => {
      const body = await failedRun('20210401', {
        'export.parquet': 'start_date,country\n2021-01-04,GB\n',
      });
      assert.match(body.message, /export\.parquet: is not a Parquet file/);
    });

    it('a truncated file', async () => {
      const sample = await readFile(SAMPLE_PARQUET);
      const body = await failedRun('20210402', { 'cut.parquet': sample.subarray(0, 30_000) });
      assert.match(body.message, /cut\.parquet: is truncated/);
    });

    it('a missing column', async () => {
      const folder = join(fixture.sourceDir, 'marketing', '20210403');
      await mkdir(folder, { recursive: true });
      const writer = await ParquetFileWriter.create(join(folder, 'no-country.parquet'), [
        { name: 'name', kind: 'string' },
      ]);
      writer.writeRow(['Organic']);
      await writer.close();
      const body = await failedRun('20210403', {});
      assert.match(body.message, /no-country\.parquet, column value: is missing/);
    });

    it('a column of the wrong type', async () => {
      const folder = join(fixture.sourceDir, 'marketing', '20210404');
      const columns = MARKETING_PARQUET_COLUMNS.map((column) =>
        column.name === 'start_date' ? { ...column, kind: 'string' as const } : column,
      );
      await mkdir(folder, { recursive: true });
      const writer = await ParquetFileWriter.create(join(folder, 'text-dates.parquet'), columns);
      writer.writeRow([
        'Organic',
        1,
        '2021-01-04',
        '2021-01-04',
        '2021_01',
        false,
        't',
        new Date(),
        'GB',
        'all',
      ]);
      await writer.close();
      const body = await failedRun('20210404', {});
      assert.match(
        body.message,
        /text-dates\.parquet, column start_date: has type BYTE_ARRAY STRING \(string\), expected date/,
      );
    });

    it('an empty delivery folder', async () => {
      const body = await failedRun('20210405', { 'README.txt': 'no parquet here' });
      assert.match(body.message, /delivery 20210405 is empty: .* holds no \.parquet files/);
    });

    it('a failed gate names the check, its count and sample rows with file and row', async () => {
      const rows = [...marketingRows({ ...options, days: 3 })].map((values, i) =>
        i === 5 ? values.map((value, column) => (column === 4 ? '2020_99' : value)) : values,
      );
      await writeDeliveryFiles(join(fixture.sourceDir, 'marketing', '20210406'), rows);
      const body = await failedRun('20210406', {});
      assert.match(
        body.message,
        /year_week_format \(1: year_week matches YYYY_WW \(week 01 to 53\)\)/,
      );
      const check = body.load.checks.find((c) => c.name === 'year_week_format')!;
      assert.equal(check.passed, false);
      assert.equal(check.figure, 1);
      assert.deepEqual(
        {
          file: check.sample![0]!.file,
          row: check.sample![0]!.row,
          year_week: check.sample![0]!.year_week,
        },
        { file: 'part-000.parquet', row: '6', year_week: '2020_99' },
      );
    });
  });
});
