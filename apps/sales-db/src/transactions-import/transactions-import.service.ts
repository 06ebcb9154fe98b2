import { Injectable, Logger } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DatabaseError, escapeIdentifier, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { salesRoles } from '../auth/teams';
import { SalesDatabase } from '../database/sales-database';
import { DirectLoad, NotDirect } from './direct-load';
import { TRANSACTION_COLUMNS, TRANSACTIONS_HEADER } from './transactions-csv';

export interface FileImport {
  file: string;
  rows: number;
  transactions: number;
  lines: number;
  /** Transactions of the file whose external_ref was imported before (skipped). */
  alreadyPresent: number;
  /**
   * `direct`: read in Node and copied straight into the tables; `staged`: through the staging
   * table (a file the direct path does not take as it is, see DirectLoad).
   */
  path: 'direct' | 'staged';
}

export interface Problem {
  line: number;
  field: string;
  problem: string;
}

/** A file refused as a whole: every problem names its file, line and field. */
export class TransactionFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: Problem[],
  ) {
    super(
      [`${file}: refused, nothing imported`]
        .concat(problems.map((p) => `${file}:${p.line}: ${p.field} ${p.problem}`))
        .join('\n'),
    );
  }
}

/** The loading statements found a problem; the diagnosis names its lines. */
class RefusedByChecks extends Error {}

/**
 * Times start with an ISO 8601 date and time; PostgreSQL reads the rest (seconds, fraction,
 * zone). A shape test with LIKE costs a fraction of a regular expression on millions of rows.
 */
const TIME_SHAPE = (column: string) =>
  `(${column} LIKE '____-__-__T__:__%' OR ${column} LIKE '____-__-__ __:__%')`;
const MAX_PROBLEMS = 50;

/**
 * `import-transactions <file|dir>`: historical transactions, in bulk, as the owner. Each file is
 * one database transaction, under an advisory lock (one import at a time), with members and
 * items locked in SHARE mode (prices, members and items stay as read). Two paths:
 *
 * - Direct (DirectLoad): Node reads plain CSV rows, groups them per transaction with their
 *   totals, and COPYs batches into `sales.transactions` and `sales.transaction_lines` as the
 *   system role, then bumps `member_spending` / `item_popularity` once. The usual case.
 * - Staged, for every file the direct path gives up on (quotes, a transaction's lines in two
 *   batches, any problem): COPY into a temporary table of text columns, one GROUP BY per
 *   transaction, and one statement as the system role inserting the transactions with their
 *   totals, their lines and the aggregate increments. When that finds a problem, a diagnosis
 *   names every problem's line and field.
 *
 * The statement triggers that would redo the totals skip the system role's statements
 * (migration 1763740000007); no team login can become it.
 */
@Injectable()
export class TransactionsImportService {
  private readonly logger = new Logger(TransactionsImportService.name);

  constructor(private readonly database: SalesDatabase) {}

  /**
   * Transactions per batch of the direct path (tests make it small to cross batches). Each batch
   * costs a few round trips with PostgreSQL idle; 5,000 took 27–29 s for 1M transactions against
   * 36 s at 2,000 (10,000: no faster, and peak RSS 150 MB against 135 MB).
   */
  batchTransactions = 5_000;

  async import(path: string): Promise<FileImport[]> {
    const results: FileImport[] = [];
    for (const file of await transactionFiles(path)) {
      results.push(await this.importStream(file, () => createReadStream(file)));
    }
    return results;
  }

  /** Imports CSV in the transaction format from `source` (a file, or the generator's stream). */
  async importStream(name: string, source: () => Readable): Promise<FileImport> {
    const result = await this.database.asAdmin((_sql, client) =>
      this.importFile(client, name, source),
    );
    this.logger.log(result, 'transactions imported');
    return result;
  }

  private async importFile(
    client: PoolClient,
    file: string,
    source: () => Readable,
  ): Promise<FileImport> {
    // One import at a time: two files sharing new references would otherwise insert them in
    // different orders and deadlock (or both count them as new). The second waits, then finds
    // them there.
    await client.query("SELECT pg_advisory_xact_lock(hashtext('sales-db:import-transactions'))");
    // Prices, members and items stay as read until the end of the import.
    await client.query('LOCK TABLE sales.items, sales.members IN SHARE MODE');
    // The staged path's per-transaction GROUP BY holds about 1 KB per transaction before it spills.
    await client.query("SET LOCAL work_mem = '256MB'");
    const [{ rolsuper, database }] = (
      await client.query<{ rolsuper: boolean; database: string }>(
        'SELECT rolsuper, current_database() AS database FROM pg_roles WHERE rolname = current_user',
      )
    ).rows;
    // A superuser owner skips the per-row foreign-key triggers: both paths check every member and
    // item under the lock above, and every transaction id is one the import took.
    if (rolsuper) await client.query("SET LOCAL session_replication_role = 'replica'");
    const system = escapeIdentifier(salesRoles(database).system);
    await client.query('SAVEPOINT before_direct');
    try {
      await client.query(`SET LOCAL ROLE ${system}`);
      const loaded = await new DirectLoad(client, this.batchTransactions).load(source());
      await client.query('RESET ROLE');
      return { file, ...loaded, path: 'direct' };
    } catch (error) {
      if (!(error instanceof NotDirect || isDataError(error))) throw error;
      this.logger.debug(`${file}: staged import (${error.message})`);
      await client.query('ROLLBACK TO SAVEPOINT before_direct');
    }
    return { file, ...(await this.staged(client, file, source, system)), path: 'staged' };
  }

  private async staged(
    client: PoolClient,
    file: string,
    source: () => Readable,
    system: string,
  ): Promise<Omit<FileImport, 'file' | 'path'>> {
    const columns = TRANSACTION_COLUMNS.map((column) => `${column} text`).join(', ');
    await client.query(`CREATE TEMP TABLE import_rows (${columns}) ON COMMIT DROP`);
    await pipeline(
      source(),
      client.query(
        copyFrom(
          `COPY import_rows (${TRANSACTION_COLUMNS.join(', ')}) FROM STDIN WITH (FORMAT csv, HEADER MATCH)`,
        ),
      ),
    ).catch((error: Error) => {
      throw new TransactionFileError(file, [
        {
          line: 1,
          field: 'file',
          problem: `is not a CSV with the header ${TRANSACTIONS_HEADER}: ${error.message}`,
        },
      ]);
    });
    await client.query('SAVEPOINT before_loading');
    try {
      return await this.load(client, system);
    } catch (error) {
      if (!(error instanceof RefusedByChecks || isDataError(error))) throw error;
      await client.query('ROLLBACK TO SAVEPOINT before_loading');
      const problems = await this.diagnose(client);
      if (problems.length) throw new TransactionFileError(file, problems);
      const reason = error instanceof DatabaseError ? ` (${error.code}): ${error.message}` : '';
      throw new TransactionFileError(file, [
        { line: 0, field: 'file', problem: `refused by the database's rules${reason}` },
      ]);
    }
  }

  private async load(
    client: PoolClient,
    system: string,
  ): Promise<Omit<FileImport, 'file' | 'path'>> {
    await client.query(
      `CREATE TEMP TABLE import_transactions ON COMMIT DROP AS
       SELECT g.external_ref, m.id AS member_id, g.purchased_at::timestamptz AS purchased_at,
              g.status, nullif(g.completed_at, '')::timestamptz AS completed_at,
              g.rows, g.live_items, g.price, g.weight, g.units,
              g.purchased_at IS NOT NULL AND ${TIME_SHAPE('g.purchased_at')}
                AND (g.completed_at IS NULL OR ${TIME_SHAPE('g.completed_at')}) AS times_iso
         FROM (SELECT r.external_ref, r.membership_id, r.purchased_at, r.status, r.completed_at,
                      count(*) AS rows, count(i.id) AS live_items,
                      sum(r.quantity::int * i.cost) AS price,
                      sum(r.quantity::int * i.weight_kg) AS weight, sum(r.quantity::int) AS units
                 FROM import_rows r
                 LEFT JOIN sales.items i ON i.id::text = r.item_id AND i.retired_at IS NULL
                GROUP BY 1, 2, 3, 4, 5) g
         LEFT JOIN (SELECT membership_id, min(id) AS id FROM sales.members
                     GROUP BY membership_id HAVING count(*) = 1) m USING (membership_id)`,
    );
    const [summary] = (
      await client.query<{ rows: string; transactions: string; problems: string }>(
        `SELECT coalesce(sum(rows), 0) AS rows, count(*) AS transactions,
                count(*) FILTER (WHERE member_id IS NULL OR live_items < rows OR NOT times_iso
                  OR coalesce(length(external_ref), 0) NOT BETWEEN 1 AND 100
                  OR status IS NULL) AS problems
           FROM import_transactions`,
      )
    ).rows;
    if (Number(summary.problems) > 0) throw new RefusedByChecks();

    await client.query(`GRANT SELECT ON import_rows, import_transactions TO ${system}`);
    await client.query(`SET LOCAL ROLE ${system}`);
    const [inserted] = (
      await client.query<{ transactions: string; lines: string }>(
        `WITH new_transactions AS (
           INSERT INTO sales.transactions (member_id, purchased_at, status, completed_at, external_ref,
                                           total_price, total_weight_kg, line_count, item_count)
           SELECT member_id, purchased_at, status, completed_at, external_ref, price, weight, rows, units
             FROM import_transactions n
            WHERE NOT EXISTS (SELECT 1 FROM sales.transactions t WHERE t.external_ref = n.external_ref)
           RETURNING id, external_ref, member_id, total_price
         ), spending AS (
           INSERT INTO sales.member_spending AS s (member_id, total_spent, transaction_count)
           SELECT member_id, sum(total_price), count(*) FROM new_transactions
            GROUP BY member_id ORDER BY member_id
           ON CONFLICT (member_id) DO UPDATE
             SET total_spent = s.total_spent + EXCLUDED.total_spent,
                 transaction_count = s.transaction_count + EXCLUDED.transaction_count
           RETURNING 1
         ), new_lines AS (
           INSERT INTO sales.transaction_lines (transaction_id, item_id, quantity, unit_price, unit_weight_kg)
           SELECT t.id, i.id, r.quantity::int, i.cost, i.weight_kg
             FROM import_rows r
             JOIN new_transactions t USING (external_ref)
             JOIN sales.items i ON i.id::text = r.item_id
            ORDER BY t.id -- the lines' primary key then grows at its end, not at random pages
           RETURNING item_id, quantity
         ), popularity AS (
           INSERT INTO sales.item_popularity AS p (item_id, quantity, transaction_count)
           SELECT item_id, sum(quantity), count(*) FROM new_lines
            -- Members first, then items, each in key order, as the lines trigger does: concurrent
            -- imports and checkouts then wait for each other instead of deadlocking.
            WHERE (SELECT count(*) FROM spending) >= 0
            GROUP BY item_id ORDER BY item_id
           ON CONFLICT (item_id) DO UPDATE
             SET quantity = p.quantity + EXCLUDED.quantity,
                 transaction_count = p.transaction_count + EXCLUDED.transaction_count
         )
         SELECT (SELECT count(*) FROM new_transactions) AS transactions,
                (SELECT count(*) FROM new_lines) AS lines`,
      )
    ).rows;
    await client.query('RESET ROLE');
    return {
      rows: Number(summary.rows),
      transactions: Number(inserted.transactions),
      lines: Number(inserted.lines),
      alreadyPresent: Number(summary.transactions) - Number(inserted.transactions),
    };
  }

  /**
   * Every row's problems with line and field (up to 50), by the same rules as the loading
   * statements; run only when they refused the file, so it may take its time (a function per
   * value that tries the cast).
   */
  private async diagnose(client: PoolClient): Promise<Problem[]> {
    await client.query(`
      CREATE OR REPLACE FUNCTION pg_temp.reads_as(value text, type regtype) RETURNS boolean
      LANGUAGE plpgsql AS $fn$
      BEGIN
        EXECUTE format('SELECT %L::%s', value, type);
        RETURN true;
      EXCEPTION WHEN data_exception THEN
        RETURN false;
      END
      $fn$`);
    const isTime = (column: string) =>
      `(${column} IS NOT NULL AND ${TIME_SHAPE(column)} AND pg_temp.reads_as(${column}, 'timestamptz'))`;
    const { rows } = await client.query<{ line: string; field: string; problem: string }>(
      `WITH numbered AS (
         SELECT row_number() OVER (ORDER BY ctid) + 1 AS line, * FROM import_rows
       ), members AS (
         SELECT membership_id, count(*) AS people FROM sales.members
          WHERE membership_id IN (SELECT membership_id FROM import_rows) GROUP BY membership_id
       ), firsts AS (
         SELECT DISTINCT ON (external_ref) external_ref, membership_id, purchased_at, status, completed_at
           FROM numbered ORDER BY external_ref, line
       ), problems AS (
         SELECT line, 'external_ref' AS field, 'is empty or longer than 100 characters' AS problem
           FROM numbered WHERE coalesce(length(external_ref), 0) NOT BETWEEN 1 AND 100
         UNION ALL
         SELECT r.line, 'membership_id', CASE WHEN m.people IS NULL THEN 'names no member'
                ELSE 'is shared by ' || m.people || ' people: cannot tell which bought' END
           FROM numbered r LEFT JOIN members m USING (membership_id)
          WHERE m.people IS DISTINCT FROM 1
         UNION ALL
         SELECT line, 'purchased_at', 'must be an ISO 8601 time (YYYY-MM-DDThh:mm…)'
           FROM numbered WHERE NOT ${isTime('purchased_at')}
         UNION ALL
         SELECT line, 'status', 'must be pending or completed'
           FROM numbered WHERE status IS NULL OR status NOT IN ('pending', 'completed')
         UNION ALL
         SELECT line, 'completed_at', 'must be an ISO 8601 time when completed, and empty when pending'
           FROM numbered
          WHERE (status = 'completed' AND NOT ${isTime('completed_at')})
             OR (status = 'pending' AND coalesce(completed_at, '') <> '')
         UNION ALL
         SELECT line, 'completed_at', 'is before purchased_at'
           FROM numbered
          WHERE status = 'completed'
            AND CASE WHEN ${isTime('purchased_at')} AND ${isTime('completed_at')}
                     THEN completed_at::timestamptz < purchased_at::timestamptz END
         UNION ALL
         SELECT r.line, 'item_id', 'names no live catalogue item'
           FROM numbered r LEFT JOIN sales.items i ON i.id::text = r.item_id AND i.retired_at IS NULL
          WHERE i.id IS NULL
         UNION ALL
         SELECT line, 'quantity', 'must be a whole number from 1 to 2147483647'
           FROM numbered
          WHERE CASE WHEN pg_temp.reads_as(quantity, 'integer') THEN quantity::int < 1 ELSE true END
         UNION ALL
         SELECT r.line, 'external_ref', 'repeats its transaction with another member, time or status'
           FROM numbered r JOIN firsts f USING (external_ref)
          WHERE (r.membership_id, r.purchased_at, r.status, r.completed_at)
                IS DISTINCT FROM (f.membership_id, f.purchased_at, f.status, f.completed_at)
         UNION ALL
         SELECT line, 'item_id', 'appears twice in its transaction'
           FROM (SELECT line, row_number() OVER (PARTITION BY external_ref, item_id ORDER BY line) AS n
                   FROM numbered) d WHERE n > 1
       )
       SELECT line, field, problem FROM problems ORDER BY line, field LIMIT ${MAX_PROBLEMS}`,
    );
    return rows.map((row) => ({ ...row, line: Number(row.line) }));
  }
}

/** Errors of the data itself: a failed cast (class 22) or a violated constraint (class 23). */
function isDataError(error: unknown): error is DatabaseError {
  return error instanceof DatabaseError && /^2[23]/.test(error.code ?? '');
}

/** A file, or the `*.csv` files of a folder (not dot-files), in name order. */
async function transactionFiles(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => {
    throw new Error(`${path}: no such file or directory`);
  });
  if (!info.isDirectory()) return [path];
  const entries = await readdir(path, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && /^[^.].*\.csv$/i.test(entry.name))
    .map((entry) => join(path, entry.name))
    .sort();
}
