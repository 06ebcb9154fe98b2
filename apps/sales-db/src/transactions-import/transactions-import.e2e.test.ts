import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TestDatabase } from '@des/shared/testing';
import { DataSource } from 'typeorm';
import { SalesDatabase } from '../database/sales-database';
import {
  createSalesTestDatabase,
  createTeamUsers,
  DRIFT_QUERY,
  openMigratedDataSource,
  removeTeamUsers,
  urlAs,
  withClient,
} from '../e2e-fixtures';
import { GeneratorRepository } from '../generator/generator.repository';
import { GeneratorService } from '../generator/generator.service';
import { ReportsRepository } from '../reports/reports.repository';
import { TRANSACTIONS_HEADER } from './transactions-csv';
import { reserveTransactionIds } from './direct-load';
import { TransactionFileError, TransactionsImportService } from './transactions-import.service';

describe('import-transactions', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let sales: SalesDatabase;
  let importer: TransactionsImportService;
  let dir: string;
  const q = (text: string, values?: unknown[]) => dataSource.query(text, values);
  const file = async (name: string, rows: string[]) => {
    const path = join(dir, name);
    await writeFile(path, `${TRANSACTIONS_HEADER}\n${rows.join('\n')}\n`);
    return path;
  };
  const count = async () =>
    (await q('SELECT count(*)::int AS n FROM sales.transactions'))[0].n as number;

  const drift = async () => (await q(DRIFT_QUERY))[0];
  const totals = async (prefix: string) =>
    q(
      `SELECT external_ref AS ref, total_price::text AS price, line_count AS lines
         FROM sales.transactions WHERE external_ref LIKE $1 ORDER BY external_ref`,
      [`${prefix}%`],
    );
  /** Runs `work` with the direct path cutting its batches every `transactions` transactions. */
  const inBatchesOf = async <T>(transactions: number, work: () => Promise<T>): Promise<T> => {
    const usual = importer.batchTransactions;
    importer.batchTransactions = transactions;
    try {
      return await work();
    } finally {
      importer.batchTransactions = usual;
    }
  };

  before(async () => {
    database = await createSalesTestDatabase('sales_tx_import');
    dataSource = await openMigratedDataSource(database.url);
    sales = new SalesDatabase(dataSource);
    importer = new TransactionsImportService(sales);
    dir = await mkdtemp(join(tmpdir(), 'sales-tx-import-'));
    await q(`INSERT INTO sales.items (name, manufacturer, cost, weight_kg) VALUES
               ('A', 'Acme', 10.00, 1), ('B', 'Acme', 5.00, 0.5), ('Old', 'Acme', 1.00, 1)`);
    await q(`UPDATE sales.items SET retired_at = now() WHERE name = 'Old'`);
    await q(`INSERT INTO sales.members (membership_id, first_name, last_name, email, date_of_birth,
                                        mobile_no, above_18, source_file, source_line)
             VALUES ('Lim_11111', 'Ann', 'Lim', 'ann@x.com', '1990-01-01', '12345678', true, 'f', 2),
                    ('Tan_22222', 'Bo', 'Tan', 'bo@x.com', '1991-01-01', '12345679', true, 'f', 3),
                    ('Tan_33333', 'Cy', 'Tan', 'cy@x.com', '1992-01-01', '12345670', true, 'f', 4),
                    ('Tan_33333', 'Di', 'Tan', 'di@x.com', '1993-01-01', '12345671', true, 'f', 5)`);
  });

  after(async () => {
    await dataSource?.destroy();
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('imports completed and pending sales with their lines; totals and both aggregates are exact', async () => {
    const first = await file('day1.csv', [
      'pos-1,Lim_11111,2025-01-02T10:00:00Z,completed,2025-01-03T09:00:00Z,1,2',
      'pos-1,Lim_11111,2025-01-02T10:00:00Z,completed,2025-01-03T09:00:00Z,2,1',
      'pos-2,Tan_22222,2025-01-05T11:30:00+08:00,pending,,2,4',
    ]);
    const [result] = await importer.import(first);
    assert.deepEqual(
      { ...result, file: undefined },
      { file: undefined, rows: 3, transactions: 2, lines: 3, alreadyPresent: 0, path: 'direct' },
    );
    const rows = await q(
      `SELECT external_ref, status, purchased_at = '2025-01-02T10:00:00Z' AS at, total_price::text AS total
         FROM sales.transactions ORDER BY external_ref`,
    );
    assert.deepEqual(rows, [
      { external_ref: 'pos-1', status: 'completed', at: true, total: '25.00' },
      { external_ref: 'pos-2', status: 'pending', at: false, total: '20.00' },
    ]);
    const reports = new ReportsRepository();
    const check = (fromLines: boolean) =>
      sales.asAdmin(async (sql) => ({
        members: await reports.topMembers(sql, 10, fromLines),
        quantity: await reports.topItems(sql, 10, 'quantity', fromLines),
        transactions: await reports.topItems(sql, 10, 'transactions', fromLines),
      }));
    assert.deepEqual(await check(false), await check(true));
    assert.deepEqual(await drift(), { transactions: 0, members: 0, items: 0 });
  });

  it('a re-import adds nothing, and an overlapping file adds only what is new, saying how many were there', async () => {
    const [again] = await importer.import(join(dir, 'day1.csv'));
    assert.equal(again.transactions, 0);
    assert.equal(again.alreadyPresent, 2);
    const overlap = await file('day1-and-2.csv', [
      'pos-2,Tan_22222,2025-01-05T11:30:00+08:00,pending,,2,4',
      'pos-3,Lim_11111,2025-01-06T08:00:00Z,completed,2025-01-06T18:00:00Z,1,1',
    ]);
    const [result] = await importer.import(overlap);
    assert.deepEqual([result.transactions, result.lines, result.alreadyPresent], [1, 1, 1]);
    assert.equal(await count(), 3);
    assert.deepEqual(await drift(), { transactions: 0, members: 0, items: 0 });
  });

  it('two imports at once of files sharing new references, in opposite orders, store each sale once', async () => {
    const sales = Array.from(
      { length: 3000 },
      (_, i) => `conc-${i},Lim_11111,2025-02-01T10:00:00Z,completed,2025-02-02T10:00:00Z,1,1`,
    );
    const before = await count();
    const results = await Promise.all([
      importer.import(await file('conc-forward.csv', sales)),
      importer.import(await file('conc-backward.csv', [...sales].reverse())),
    ]);
    const [forward, backward] = results.map(([result]) => result);
    assert.equal(forward.transactions + backward.transactions, 3000);
    assert.equal(forward.alreadyPresent + backward.alreadyPresent, 3000);
    assert.equal(await count(), before + 3000);
    assert.deepEqual(await drift(), { transactions: 0, members: 0, items: 0 });
  });

  it('names the line of problems only the database finds: an item twice, a completion before its purchase, an impossible date', async () => {
    const before = await count();
    const cases: [string[], string][] = [
      [
        [
          'pos-20,Lim_11111,2025-02-01T08:00:00Z,pending,,1,1',
          'pos-20,Lim_11111,2025-02-01T08:00:00Z,pending,,1,2',
        ],
        '3 item_id appears twice in its transaction',
      ],
      [
        ['pos-21,Lim_11111,2025-02-01T08:00:00Z,completed,2025-01-01T08:00:00Z,1,1'],
        '2 completed_at is before purchased_at',
      ],
      [
        ['pos-22,Lim_11111,2025-02-30T08:00:00Z,pending,,1,1'],
        '2 purchased_at must be an ISO 8601 time (YYYY-MM-DDThh:mm…)',
      ],
      [
        [
          'pos-23,Lim_11111,2025-02-01T08:00:00Z,pending,,1,1',
          'pos-23,Tan_22222,2025-02-01T08:00:00Z,pending,,2,1',
        ],
        '3 external_ref repeats its transaction with another member, time or status',
      ],
    ];
    for (const [rows, expected] of cases) {
      const error = await importer.import(await file('db-rules.csv', rows)).then(
        () => assert.fail(`accepted: ${rows.join(' / ')}`),
        (caught: unknown) => caught,
      );
      assert.ok(error instanceof TransactionFileError);
      assert.deepEqual(
        error.problems.map((p) => `${p.line} ${p.field} ${p.problem}`),
        [expected],
      );
    }
    assert.equal(await count(), before);
  });

  it('refuses a file with bad rows as a whole, naming file, line and field', async () => {
    const before = await count();
    const bad = await file('bad.csv', [
      'pos-9,Lim_11111,2025-01-07T08:00:00Z,completed,2025-01-07T09:00:00Z,1,1',
      'pos-10,Nobody_00000,2025-01-07T08:00:00Z,pending,,1,1',
      'pos-11,Tan_33333,yesterday,pending,,1,1',
      'pos-12,Lim_11111,2025-01-07T08:00:00Z,shipped,,3,0',
      'pos-13,Lim_11111,2025-01-07T08:00:00Z,pending,2025-01-07T09:00:00Z,1,1',
      'pos-9,Lim_11111,2025-01-08T08:00:00Z,completed,2025-01-07T09:00:00Z,2,1',
    ]);
    const error = await importer.import(bad).then(
      () => assert.fail('the file was accepted'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof TransactionFileError);
    assert.deepEqual(
      error.problems.map((p) => `${p.line} ${p.field}`),
      [
        '3 membership_id',
        '4 membership_id',
        '4 purchased_at',
        '5 item_id',
        '5 quantity',
        '5 status',
        '6 completed_at',
        '7 completed_at',
        '7 external_ref',
      ],
    );
    assert.match(error.message, /bad\.csv:4: membership_id is shared by 2 people/);
    assert.equal(await count(), before);
  });

  it('generate --out writes that format; importing it loads every line and keeps the reports exact', async () => {
    const generator = new GeneratorService(sales, new GeneratorRepository(), importer);
    const out = join(dir, 'generated.csv');
    const written = await generator.writeFile({ transactions: 300, seed: 3, out });
    const before = await count();
    const [result] = await importer.import(out);
    assert.deepEqual(
      [result.rows, result.transactions, result.lines],
      [written.rows, 300, written.rows],
    );
    assert.equal(await count(), before + 300);
    const reports = new ReportsRepository();
    const check = (fromLines: boolean) =>
      sales.asAdmin(async (sql) => ({
        members: await reports.topMembers(sql, 10, fromLines),
        quantity: await reports.topItems(sql, 10, 'quantity', fromLines),
      }));
    assert.deepEqual(await check(false), await check(true));
    // The same seed gives the same references: a second generate + import adds nothing.
    await generator.writeFile({ transactions: 300, seed: 3, out });
    const [again] = await importer.import(out);
    assert.deepEqual([again.transactions, again.alreadyPresent], [0, 300]);
  });

  it('copies a plain file straight into the tables; a file it cannot read plainly goes through the staging table, with the same result', async () => {
    const [plain] = await importer.import(
      await file('plain.csv', ['dir-1,Lim_11111,2025-03-01T10:00:00Z,pending,,1,2']),
    );
    const [quoted] = await importer.import(
      await file('quoted.csv', ['"dir-2",Lim_11111,2025-03-01T10:00:00Z,pending,,1,2']),
    );
    assert.deepEqual(
      [plain.path, plain.transactions, quoted.path, quoted.transactions],
      ['direct', 1, 'staged', 1],
    );
    assert.deepEqual(await totals('dir-'), [
      { ref: 'dir-1', price: '20.00', lines: 1 },
      { ref: 'dir-2', price: '20.00', lines: 1 },
    ]);
    assert.deepEqual(await drift(), { transactions: 0, members: 0, items: 0 });
  });

  it('stores the same times, totals and non-ASCII references directly as staged; a time without a zone is left to the staging table', async () => {
    const rows = (prefix: string) => [
      `${prefix}-Zoë-東京,Lim_11111,2025-03-01T10:00:00.123456+08:00,completed,2025-03-02 09:30Z,1,3`,
      `${prefix}-Zoë-東京,Lim_11111,2025-03-01T10:00:00.123456+08:00,completed,2025-03-02 09:30Z,2,1`,
      `${prefix}-2,Tan_22222,1999-12-31T23:59:59-05:30,pending,,2,2`,
    ];
    const [direct] = await importer.import(await file('zones.csv', rows('zd')));
    const [staged] = await importer.import(
      await file('zones-quoted.csv', [
        ...rows('zs'),
        '"zs-3",Lim_11111,2025-03-01T10:00:00Z,pending,,1,1',
      ]),
    );
    const [local] = await importer.import(
      await file('local.csv', ['zl-1,Lim_11111,2025-03-01T10:00:00,pending,,1,1']),
    );
    assert.deepEqual(
      [direct.path, staged.path, local.path, local.transactions],
      ['direct', 'staged', 'staged', 1],
    );
    const stored = await q(
      `SELECT substr(external_ref, 4) AS ref, purchased_at, completed_at, total_price::text AS price,
              total_weight_kg::text AS weight, item_count
         FROM sales.transactions WHERE external_ref ~ '^z[ds]-' AND external_ref <> 'zs-3'
        ORDER BY external_ref`,
    );
    const [zd, zs] = [stored.slice(0, 2), stored.slice(2)];
    assert.deepEqual(zd, zs);
    assert.equal(zd[1].ref, 'Zoë-東京');
    assert.deepEqual(
      [zd[1].purchased_at.toISOString(), zd[1].completed_at.toISOString(), zd[1].price],
      ['2025-03-01T02:00:00.123Z', '2025-03-02T09:30:00.000Z', '35.00'],
    );
    assert.deepEqual(await drift(), { transactions: 0, members: 0, items: 0 });
  });

  it("a transaction's lines need not be adjacent: within a batch and across batches", async () => {
    const within = await file('apart-within.csv', [
      'apart-1,Lim_11111,2025-03-02T10:00:00Z,completed,2025-03-03T10:00:00Z,1,1',
      'apart-2,Tan_22222,2025-03-02T11:00:00Z,pending,,2,1',
      'apart-1,Lim_11111,2025-03-02T10:00:00Z,completed,2025-03-03T10:00:00Z,2,3',
    ]);
    const across = await file('apart-across.csv', [
      'apart-3,Lim_11111,2025-03-02T10:00:00Z,pending,,1,1',
      'apart-4,Tan_22222,2025-03-02T11:00:00Z,pending,,2,1',
      'apart-5,Lim_11111,2025-03-02T12:00:00Z,pending,,1,1',
      'apart-6,Lim_11111,2025-03-02T13:00:00Z,pending,,2,2',
      'apart-7,Lim_11111,2025-03-02T14:00:00Z,pending,,1,3',
      'apart-4,Tan_22222,2025-03-02T11:00:00Z,pending,,1,2',
    ]);
    const results = await inBatchesOf(2, async () => [
      ...(await importer.import(within)),
      ...(await importer.import(across)),
    ]);
    assert.deepEqual(
      results.map((r) => [r.transactions, r.lines, r.path]),
      [
        [2, 3, 'direct'],
        [5, 6, 'staged'],
      ],
    );
    assert.deepEqual(await totals('apart-'), [
      { ref: 'apart-1', price: '25.00', lines: 2 },
      { ref: 'apart-2', price: '5.00', lines: 1 },
      { ref: 'apart-3', price: '10.00', lines: 1 },
      { ref: 'apart-4', price: '25.00', lines: 2 },
      { ref: 'apart-5', price: '10.00', lines: 1 },
      { ref: 'apart-6', price: '10.00', lines: 1 },
      { ref: 'apart-7', price: '30.00', lines: 1 },
    ]);
    assert.deepEqual(await drift(), { transactions: 0, members: 0, items: 0 });
  });

  it('an overlapping file whose known references fill some batches and part of another adds only the new ones', async () => {
    const sale = (n: number) => `ov-${n},Lim_11111,2025-03-04T10:00:00Z,pending,,1,1`;
    await importer.import(await file('ov-first.csv', [1, 2, 3].map(sale)));
    const [result] = await inBatchesOf(2, async () =>
      importer.import(await file('ov-second.csv', [1, 2, 3, 4, 5, 6].map(sale))),
    );
    assert.deepEqual(
      [result.transactions, result.alreadyPresent, result.lines, result.path],
      [3, 3, 3, 'direct'],
    );
    assert.equal((await totals('ov-')).length, 6);
    assert.deepEqual(await drift(), { transactions: 0, members: 0, items: 0 });
  });

  it('a problem in a late batch refuses the whole file, naming its line and field', async () => {
    const before = await count();
    const good = [1, 2, 3, 4, 5].map(
      (n) => `late-${n},Lim_11111,2025-03-05T10:00:00Z,completed,2025-03-05T11:00:00Z,1,1`,
    );
    const cases: [string, string[], string][] = [
      [
        'late-member.csv',
        [...good, 'late-6,Nobody_00000,2025-03-05T10:00:00Z,pending,,1,1'],
        '7 membership_id',
      ],
      [
        'late-db.csv',
        [...good, 'late-6,Lim_11111,2025-03-05T10:00:00Z,completed,2025-03-04T10:00:00Z,1,1'],
        '7 completed_at',
      ],
    ];
    for (const [name, rows, expected] of cases) {
      const error = await inBatchesOf(2, async () => importer.import(await file(name, rows))).then(
        () => assert.fail(`${name} was accepted`),
        (caught: unknown) => caught,
      );
      assert.ok(error instanceof TransactionFileError);
      assert.deepEqual(
        error.problems.map((p) => `${p.line} ${p.field}`),
        [expected],
      );
    }
    assert.equal(await count(), before);
  });

  it('ids reserved for an import never meet ids a checkout takes at the same time', async () => {
    const size = 100_000;
    const [reserved, [{ ids }]] = await Promise.all([
      sales.asAdmin((_sql, client) => reserveTransactionIds(client, size)),
      q(
        `SELECT array_agg(nextval('sales.transactions_id_seq'))::float8[] AS ids
           FROM generate_series(1, $1)`,
        [size],
      ),
    ]);
    const mine = new Set(Array.from({ length: reserved.count }, (_, i) => reserved.at(i)));
    assert.equal(mine.size, size);
    assert.equal((ids as number[]).filter((id) => mine.has(id)).length, 0);
  });

  it('checkouts recording purchases during an import keep their own ids, totals and aggregates', async () => {
    const users = await createTeamUsers(database.url);
    const { checkout } = users;
    try {
      const sales = Array.from(
        { length: 3000 },
        (_, i) => `busy-${i},Tan_22222,2025-03-06T10:00:00Z,pending,,${1 + (i % 2)},1`,
      );
      const path = await file('busy.csv', sales);
      const before = await count();
      let done = false;
      const importing = inBatchesOf(100, () => importer.import(path)).finally(() => (done = true));
      const bought = await withClient(
        urlAs(database.url, checkout.name, checkout.password),
        async (client) => {
          let purchases = 0;
          while (!done || purchases === 0) {
            await client.query('BEGIN');
            const { rows } = await client.query<{ id: string }>(
              `INSERT INTO sales.transactions (member_id)
               SELECT id FROM sales.members WHERE membership_id = 'Lim_11111' RETURNING id`,
            );
            await client.query(
              `INSERT INTO sales.transaction_lines (transaction_id, item_id, quantity, unit_price, unit_weight_kg)
               VALUES ($1, 1, 1, 10.00, 1)`,
              [rows[0].id],
            );
            await client.query('COMMIT');
            purchases += 1;
          }
          return purchases;
        },
      );
      const [result] = await importing;
      assert.equal(result.transactions, 3000);
      assert.equal(await count(), before + 3000 + bought);
      assert.deepEqual(await drift(), { transactions: 0, members: 0, items: 0 });
    } finally {
      await removeTeamUsers(database.url, users);
    }
  });
});

describe('import-transactions by an owner that is not a superuser', () => {
  it('loads a plain file directly and a quoted one staged, with the per-row foreign-key checks kept', async () => {
    const database = await createSalesTestDatabase('sales_tx_owner');
    const owner = `sales_owner_${randomBytes(4).toString('hex')}`;
    let dataSource: DataSource | undefined;
    const dir = await mkdtemp(join(tmpdir(), 'sales-tx-owner-'));
    try {
      await withClient(database.url, async (client) => {
        await client.query(`CREATE ROLE ${owner} LOGIN CREATEROLE PASSWORD 'owner'`);
        await client.query(`ALTER DATABASE ${database.name} OWNER TO ${owner}`);
      });
      dataSource = await openMigratedDataSource(urlAs(database.url, owner, 'owner'));
      const q = (text: string) => dataSource!.query(text);
      assert.deepEqual(await q('SELECT rolsuper FROM pg_roles WHERE rolname = current_user'), [
        { rolsuper: false },
      ]);
      await q(
        `INSERT INTO sales.items (name, manufacturer, cost, weight_kg) VALUES ('A', 'Acme', 10.00, 1)`,
      );
      await q(`INSERT INTO sales.members (membership_id, first_name, last_name, email, date_of_birth,
                                          mobile_no, above_18, source_file, source_line)
               VALUES ('Lim_11111', 'Ann', 'Lim', 'ann@x.com', '1990-01-01', '12345678', true, 'f', 2)`);
      const importer = new TransactionsImportService(new SalesDatabase(dataSource));
      const write = async (name: string, row: string) => {
        const path = join(dir, name);
        await writeFile(path, `${TRANSACTIONS_HEADER}\n${row}\n`);
        return path;
      };
      const [plain] = await importer.import(
        await write('plain.csv', 'own-1,Lim_11111,2025-03-01T10:00:00Z,pending,,1,2'),
      );
      const [quoted] = await importer.import(
        await write('quoted.csv', '"own-2",Lim_11111,2025-03-01T10:00:00Z,pending,,1,3'),
      );
      assert.deepEqual(
        [plain.path, plain.transactions, quoted.path, quoted.transactions],
        ['direct', 1, 'staged', 1],
      );
      assert.deepEqual((await q(DRIFT_QUERY))[0], { transactions: 0, members: 0, items: 0 });
    } finally {
      await dataSource?.destroy();
      await database.drop();
      await withClient(process.env.DATABASE_URL ?? database.url, (client) =>
        client.query(`DROP ROLE IF EXISTS ${owner}`),
      ).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
