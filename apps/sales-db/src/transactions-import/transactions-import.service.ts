import { Injectable, Logger } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DatabaseError, escapeIdentifier, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { salesRoles } from '../auth/teams';
import { SalesDatabase } from '../database/sales-database';
import { TRANSACTION_COLUMNS, TRANSACTIONS_HEADER } from './transactions-csv';

export interface FileImport {
  file: string;
  rows: number;
  transactions: number;
  lines: number;
  /** Transactions of the file whose external_ref was imported before (skipped). */
  alreadyPresent: number;
}

/** A file refused as a whole: every problem names its file, line and field. */
export class TransactionFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: { line: number; field: string; problem: string }[],
  ) {
    super(
      [`${file}: refused, nothing imported`]
        .concat(problems.map((p) => `${file}:${p.line}: ${p.field} ${p.problem}`))
        .join('\n'),
    );
  }
}

const ISO_TIME = String.raw`^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?$`;
const POSITIVE_INT = String.raw`^[1-9][0-9]{0,8}$`;
const MAX_PROBLEMS = 50;

/**
 * `import-transactions <file|dir>`: historical transactions, in bulk, as the owner. Each file is
 * one database transaction: COPY into a staging table, set-based validation (every problem with
 * its line and field; any problem refuses the file), then one `INSERT … SELECT` of the new
 * transactions and one of their lines, run as the system role (the bulk path the history guards
 * recognise, so completed sales can receive their lines). The lines' statement trigger then
 * checks prices and updates totals and both report aggregates with one GROUP BY each.
 * Transactions whose external_ref is already stored are skipped and counted.
 */
@Injectable()
export class TransactionsImportService {
  private readonly logger = new Logger(TransactionsImportService.name);

  constructor(private readonly database: SalesDatabase) {}

  async import(path: string): Promise<FileImport[]> {
    const results: FileImport[] = [];
    for (const file of await transactionFiles(path)) {
      results.push(await this.database.asAdmin((_sql, client) => this.importFile(client, file)));
      this.logger.log(results[results.length - 1], 'transactions imported');
    }
    return results;
  }

  private async importFile(client: PoolClient, file: string): Promise<FileImport> {
    const columns = TRANSACTION_COLUMNS.map((column) => `${column} text`).join(', ');
    await client.query(
      `CREATE TEMP TABLE import_rows (line bigint GENERATED ALWAYS AS IDENTITY (START 2), ${columns})
       ON COMMIT DROP`,
    );
    await pipeline(
      createReadStream(file),
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
    const problems = await this.validate(client);
    if (problems.length) throw new TransactionFileError(file, problems);

    const [{ name }] = (await client.query<{ name: string }>('SELECT current_database() AS name'))
      .rows;
    await client.query('LOCK TABLE sales.items, sales.members IN SHARE MODE');
    await client.query("SET LOCAL work_mem = '64MB'");
    const system = escapeIdentifier(salesRoles(name).system);
    await client.query(`GRANT SELECT ON import_rows TO ${system}`);
    await client.query(`SET LOCAL ROLE ${system}`);
    const { inserted, lines } = await this.insert(client).catch((error: unknown) => {
      // Rules only the database checks: real calendar dates, completion not before purchase.
      if (!(error instanceof DatabaseError) || !/^(22|23514)/.test(error.code ?? '')) throw error;
      throw new TransactionFileError(file, [
        {
          line: 0,
          field: 'file',
          problem: `refused by the database's rules (${error.code}): a time is not a real date, or a completion is before its purchase`,
        },
      ]);
    });
    await client.query('RESET ROLE');
    const [{ rows, refs }] = (
      await client.query<{ rows: number; refs: number }>(
        'SELECT count(*)::int AS rows, count(DISTINCT external_ref)::int AS refs FROM import_rows',
      )
    ).rows;
    return {
      file,
      rows,
      transactions: inserted.rowCount ?? 0,
      lines: lines.rowCount ?? 0,
      alreadyPresent: refs - (inserted.rowCount ?? 0),
    };
  }

  /** The new transactions, then their lines: two set-based statements. */
  private async insert(client: PoolClient) {
    const inserted = await client.query<{ id: string; external_ref: string }>(
      `INSERT INTO sales.transactions (member_id, purchased_at, status, completed_at, external_ref)
       SELECT DISTINCT ON (r.external_ref) m.id, r.purchased_at::timestamptz, r.status,
              nullif(r.completed_at, '')::timestamptz, r.external_ref
         FROM import_rows r JOIN sales.members m ON m.membership_id = r.membership_id
        WHERE NOT EXISTS (SELECT 1 FROM sales.transactions t WHERE t.external_ref = r.external_ref)
        ORDER BY r.external_ref, r.line
       RETURNING id, external_ref`,
    );
    const lines = await client.query(
      `INSERT INTO sales.transaction_lines (transaction_id, item_id, quantity, unit_price, unit_weight_kg)
       SELECT t.id, i.id, r.quantity::int, i.cost, i.weight_kg
         FROM import_rows r
         JOIN sales.transactions t ON t.external_ref = r.external_ref
         JOIN sales.items i ON i.id = r.item_id::int
        WHERE t.id = ANY($1::bigint[])`,
      [inserted.rows.map((row) => row.id)],
    );
    return { inserted, lines };
  }

  /** Every row's problems, set-based: one pass per rule over the staging table. */
  private async validate(
    client: PoolClient,
  ): Promise<{ line: number; field: string; problem: string }[]> {
    const { rows } = await client.query<{ line: string; field: string; problem: string }>(
      `WITH members AS (
         SELECT membership_id, count(*) AS people FROM sales.members
          WHERE membership_id IN (SELECT membership_id FROM import_rows) GROUP BY membership_id
       ), firsts AS (
         SELECT DISTINCT ON (external_ref) external_ref, membership_id, purchased_at, status, completed_at
           FROM import_rows ORDER BY external_ref, line
       ), problems AS (
         SELECT line, 'external_ref' AS field, 'is empty or longer than 100 characters' AS problem
           FROM import_rows WHERE coalesce(length(external_ref), 0) NOT BETWEEN 1 AND 100
         UNION ALL
         SELECT r.line, 'membership_id', CASE WHEN m.people IS NULL THEN 'names no member'
                ELSE 'is shared by ' || m.people || ' people: cannot tell which bought' END
           FROM import_rows r LEFT JOIN members m USING (membership_id)
          WHERE m.people IS DISTINCT FROM 1
         UNION ALL
         SELECT line, 'purchased_at', 'must be an ISO 8601 time'
           FROM import_rows WHERE purchased_at IS NULL OR purchased_at !~ $1
         UNION ALL
         SELECT line, 'status', 'must be pending or completed'
           FROM import_rows WHERE status IS NULL OR status NOT IN ('pending', 'completed')
         UNION ALL
         SELECT line, 'completed_at', 'must be an ISO 8601 time when completed, and empty when pending'
           FROM import_rows
          WHERE (status = 'completed' AND (completed_at IS NULL OR completed_at !~ $1))
             OR (status = 'pending' AND coalesce(completed_at, '') <> '')
         UNION ALL
         SELECT line, 'item_id', 'names no live catalogue item'
           FROM import_rows r
          WHERE item_id IS NULL OR item_id !~ $2
             OR NOT EXISTS (SELECT 1 FROM sales.items i
                             WHERE i.id = CASE WHEN r.item_id ~ $2 THEN r.item_id::int END
                               AND i.retired_at IS NULL)
         UNION ALL
         SELECT line, 'quantity', 'must be a whole number from 1 to 999999999'
           FROM import_rows WHERE quantity IS NULL OR quantity !~ $2
         UNION ALL
         SELECT r.line, 'external_ref', 'repeats its transaction with another member, time or status'
           FROM import_rows r JOIN firsts f USING (external_ref)
          WHERE (r.membership_id, r.purchased_at, r.status, r.completed_at)
                IS DISTINCT FROM (f.membership_id, f.purchased_at, f.status, f.completed_at)
         UNION ALL
         SELECT line, 'item_id', 'appears twice in its transaction'
           FROM (SELECT line, row_number() OVER (PARTITION BY external_ref, item_id ORDER BY line) AS n
                   FROM import_rows) d WHERE n > 1
       )
       SELECT line, field, problem FROM problems ORDER BY line, field LIMIT ${MAX_PROBLEMS}`,
      [ISO_TIME, POSITIVE_INT],
    );
    return rows.map((row) => ({ ...row, line: Number(row.line) }));
  }
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
