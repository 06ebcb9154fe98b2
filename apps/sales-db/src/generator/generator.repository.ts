import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { escapeIdentifier, PoolClient } from 'pg';
import { salesRoles } from '../auth/teams';
import { from as copyFrom } from 'pg-copy-streams';
import { Sql } from '../database/sql';
import { CatalogueItem } from './catalogue';

export interface PricedItem {
  id: number;
  cost: string;
  weightKg: string;
}

@Injectable()
export class GeneratorRepository {
  async insertCatalogue(sql: Sql, items: CatalogueItem[]): Promise<number> {
    const rows = await sql(
      `INSERT INTO sales.items (name, manufacturer, cost, weight_kg)
       SELECT * FROM unnest($1::text[], $2::text[], $3::numeric[], $4::numeric[])
       ON CONFLICT (name, manufacturer) DO NOTHING RETURNING id`,
      [
        items.map((item) => item.name),
        items.map((item) => item.manufacturer),
        items.map((item) => item.cost),
        items.map((item) => item.weightKg),
      ],
    );
    return rows.length;
  }

  /** Live items with price and weight as PostgreSQL prints them, so COPY writes them unchanged. */
  liveItems(sql: Sql): Promise<PricedItem[]> {
    return sql<PricedItem>(
      `SELECT id, cost::text AS cost, weight_kg::text AS "weightKg"
         FROM sales.items WHERE retired_at IS NULL ORDER BY id`,
    );
  }

  /** Membership ids that name exactly one person (an import file names members by them). */
  async uniqueMembershipIds(sql: Sql): Promise<string[]> {
    const rows = await sql<{ membership_id: string }>(
      `SELECT membership_id FROM sales.members GROUP BY membership_id HAVING count(*) = 1
        ORDER BY min(id)`,
    );
    return rows.map((row) => row.membership_id);
  }

  async memberIds(sql: Sql): Promise<number[]> {
    return (await sql<{ id: number }>('SELECT id FROM sales.members ORDER BY id')).map(
      (row) => row.id,
    );
  }

  async transactionCount(sql: Sql): Promise<number> {
    const [row] = await sql<{ count: number }>(
      'SELECT count(*)::int AS count FROM sales.transactions',
    );
    return row.count;
  }

  /** Takes `count` ids from the transactions' identity sequence, safe beside concurrent inserts. */
  async reserveTransactionIds(sql: Sql, count: number): Promise<number[]> {
    const rows = await sql<{ id: number }>(
      `SELECT nextval(pg_get_serial_sequence('sales.transactions', 'id'))::float8 AS id
         FROM generate_series(1, $1)`,
      [count],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Readies one bulk-load transaction. Items and members are locked against changes for its
   * (short) duration, so the prices written stay current and referenced rows cannot vanish. As a
   * superuser the per-row foreign-key triggers are skipped (session_replication_role = replica):
   * the ENABLE ALWAYS triggers verify the same references set-based, once per COPY. The rest of
   * the transaction runs as the system role.
   */
  async prepareBulkLoad(sql: Sql): Promise<boolean> {
    await sql('LOCK TABLE sales.items, sales.members IN SHARE MODE');
    // The lines' transition table is collected during COPY within work_mem; at the 4 MB default a
    // batch spills to a temporary file that the trigger then reads back three times.
    await sql("SET LOCAL work_mem = '64MB'");
    const [{ rolsuper }] = await sql<{ rolsuper: boolean }>(
      'SELECT rolsuper FROM pg_roles WHERE rolname = current_user',
    );
    if (rolsuper) await sql("SET LOCAL session_replication_role = 'replica'");
    // The bulk path runs as the system role: the only role the history guards let add lines to
    // transactions that are already completed (historical data). No team login can become it.
    const [{ name }] = await sql<{ name: string }>('SELECT current_database() AS name');
    await sql(`SET LOCAL ROLE ${escapeIdentifier(salesRoles(name).system)}`);
    return rolsuper;
  }

  /** Synthetic members for the benchmark (the demo and `generate` use imported members). */
  async insertSyntheticMembers(sql: Sql, count: number): Promise<void> {
    await sql(
      `INSERT INTO sales.members (membership_id, first_name, last_name, email, date_of_birth,
                                  mobile_no, above_18, source_file, source_line)
       SELECT 'Bench' || g || '_' || substr(md5(g::text), 1, 5), 'Member', 'Bench' || g,
              'member' || g || '@example.com', date '1980-01-01' + (g % 7000),
              lpad((10000000 + g)::text, 8, '0'), true, 'benchmark', g
         FROM generate_series(1, $1) g
       ON CONFLICT (membership_id, email) DO NOTHING`,
      [count],
    );
  }

  /** Streams tab-separated rows, already joined into chunks, into `table (columns)` with COPY FROM STDIN. */
  async copy(
    client: PoolClient,
    table: string,
    columns: string[],
    chunks: Iterable<Buffer>,
  ): Promise<void> {
    const target = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
    await pipeline(Readable.from(chunks), target);
  }
}
