import { isAscii } from 'node:buffer';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DatabaseError, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { BinaryRows, timestamptzMicros } from './binary-copy';
import { TRANSACTIONS_HEADER } from './transactions-csv';

/**
 * The file is not one the direct path takes as it is (quotes, an unknown member, lines of a
 * transaction in two batches, any problem): the import starts again on the staging table, which
 * reads any CSV and names every problem's line and field.
 */
export class NotDirect extends Error {}

export interface DirectResult {
  rows: number;
  transactions: number;
  lines: number;
  alreadyPresent: number;
}

/** Ids taken from the transactions' sequence for one batch; no other session ever gets them. */
export interface ReservedIds {
  readonly count: number;
  at(index: number): number;
}

/**
 * Takes `count` ids with nextval, as a checkout's insert does, so concurrent checkouts get
 * others. They come back as one block (low, high) when nothing came in between, which is the
 * usual case; otherwise as the full list.
 */
export async function reserveTransactionIds(
  client: PoolClient,
  count: number,
): Promise<ReservedIds> {
  const [{ low, ids }] = (
    await client.query<{ low: number; ids: number[] | null }>(
      `WITH taken AS MATERIALIZED (
         SELECT nextval('sales.transactions_id_seq') AS id FROM generate_series(1, $1::int)
       )
       SELECT low::float8 AS low,
              CASE WHEN high - low + 1 <> n THEN (SELECT array_agg(id ORDER BY id)::float8[] FROM taken) END AS ids
         FROM (SELECT min(id) AS low, max(id) AS high, count(*) AS n FROM taken) block`,
      [count],
    )
  ).rows;
  return ids ? { count, at: (index) => ids[index] } : { count, at: (index) => low + index };
}

interface Item {
  /** Its place in the per-batch sums. */
  index: number;
  id: number;
  costCents: number;
  weightGrams: number;
  /** Its lines' unit_price and unit_weight_kg fields, encoded once. */
  unitFields: Buffer;
}

interface Transaction {
  id: number;
  ref: string;
  membershipId: string;
  purchasedAt: string;
  status: string;
  completedAt: string;
  /** The times as binary timestamptz (microseconds since 2000); completion undefined while pending. */
  purchasedMicros: number;
  completedMicros: number | undefined;
  priceCents: number;
  weightGrams: number;
  lines: number;
  units: number;
}

/**
 * Transactions read since the last hand-over, their lines already as binary COPY rows in a
 * buffer (off the JavaScript heap: millions of short-lived row strings would otherwise survive
 * into the old generation with their batch).
 */
class Batch {
  readonly transactions = new Map<string, Transaction>();
  readonly lines: BinaryRows;
  /** Per item (by Item.index): units sold and lines, in this batch. */
  readonly units: Float64Array;
  readonly sales: Float64Array;

  constructor(
    readonly ids: ReservedIds,
    items: number,
    /** For the lines' COPY rows: a buffer of a batch already written, when there is one. */
    buffer: Buffer,
  ) {
    this.lines = new BinaryRows(buffer);
    this.units = new Float64Array(items);
    this.sales = new Float64Array(items);
  }

  addLine(transactionId: number, item: Item, quantity: number): void {
    this.lines.row(5).int8(transactionId).int4(item.id).int4(quantity).append(item.unitFields);
  }
}

/**
 * Where a line's values sit in its binary row: field count, then each field's length before
 * its value (transaction id int8, item id int4, quantity int4, then the item's unit fields).
 */
const LINE_TRANSACTION_ID = 2 + 4;
const LINE_ITEM_ID = LINE_TRANSACTION_ID + 8 + 4;
const LINE_QUANTITY = LINE_ITEM_ID + 4 + 4;
const LINE_UNIT_FIELDS = LINE_QUANTITY + 4;

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const QUANTITY = /^[1-9]\d{0,9}$/;
const MAX_QUANTITY = 2147483647;
const MAX_MEMBERS_CACHED = 200_000;

/**
 * The direct path of `import-transactions` (issue 22): Node reads the CSV (plain rows only: no
 * quotes), validates each row, groups it into its transaction with the totals at the items'
 * current prices, and COPYs batches straight into `sales.transactions` and
 * `sales.transaction_lines`, as the system role: one multi-row insert into each table, no
 * staging table, no INSERT … SELECT. While PostgreSQL writes batch k, Node reads batch k+1 (two
 * cores). `member_spending` and `item_popularity` get one upsert each at the end, from sums kept
 * per member and per item (memory follows members and items, not transactions).
 *
 * - Ids: each batch's ids are taken from the sequence before it is read
 *   (reserveTransactionIds), so its lines become COPY rows as they are read.
 * - Already imported: a batch whose COPY meets a stored `external_ref` is rolled back to its
 *   savepoint, its stored references are looked up and dropped, and it is copied again.
 * - Lines of a transaction may be anywhere in their batch; a transaction met again in a later
 *   batch (its reference stored by this import) sends the file to the staging path.
 * - Anything wrong, found here or by the database (an item twice in a transaction is the lines'
 *   primary key), throws NotDirect or a data error: the caller rolls back and uses the staging
 *   path, which names every problem.
 */
export class DirectLoad {
  private readonly items = new Map<string, Item>();
  private itemList: Item[] = [];
  /** membership_id to member id, for membership ids naming one person. */
  private readonly members = new Map<string, number>();
  private readonly spending = new Map<number, { cents: number; count: number }>();
  private units = new Float64Array(0);
  private sales = new Float64Array(0);
  private batch!: Batch;
  private flushing: Promise<unknown> = Promise.resolve();
  private readonly spareBuffers: Buffer[] = [];
  private firstId = Infinity;
  private readonly result: DirectResult = { rows: 0, transactions: 0, lines: 0, alreadyPresent: 0 };

  constructor(
    private readonly client: PoolClient,
    private readonly batchTransactions: number,
  ) {}

  async load(source: Readable): Promise<DirectResult> {
    const { rows } = await this.client.query<{ id: number; cost: string; weight: string }>(
      `SELECT id, cost::text, weight_kg::text AS weight FROM sales.items WHERE retired_at IS NULL`,
    );
    this.itemList = rows.map(({ id, cost, weight }, index) => ({
      index,
      id,
      costCents: decimal(cost),
      weightGrams: decimal(weight),
      unitFields: new BinaryRows(Buffer.alloc(64))
        .numeric(decimal(cost), scale(cost))
        .numeric(decimal(weight), scale(weight))
        .bytes(),
    }));
    for (const item of this.itemList) this.items.set(String(item.id), item);
    this.units = new Float64Array(this.itemList.length);
    this.sales = new Float64Array(this.itemList.length);
    this.batch = await this.nextBatch();
    try {
      await this.read(source);
      await this.flush(false);
      await this.flushing;
    } finally {
      // Whatever failed, the connection is idle again before the caller rolls back.
      await this.flushing.catch(() => undefined);
    }
    await this.applyAggregates();
    return this.result;
  }

  private async nextBatch(): Promise<Batch> {
    const ids = await reserveTransactionIds(this.client, this.batchTransactions);
    this.firstId = Math.min(this.firstId, ids.at(0));
    const lines = this.spareBuffers.pop() ?? Buffer.allocUnsafe(1 << 18);
    return new Batch(ids, this.itemList.length, lines);
  }

  private async read(source: Readable): Promise<void> {
    let rest: Buffer | undefined;
    let header = true;
    for await (const chunk of source as AsyncIterable<Buffer>) {
      if (chunk.indexOf(QUOTE) !== -1) throw new NotDirect('a quoted field');
      const bytes = rest ? Buffer.concat([rest, chunk]) : chunk;
      const end = bytes.lastIndexOf(LF) + 1;
      rest = bytes.subarray(end);
      if (end === 0) continue;
      // ASCII (the usual case) decodes as latin1, a plain copy (UTF-8: 1.2 s of a 284 MB file).
      const text = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8', 0, end);
      let at = 0;
      if (header) {
        at = text.indexOf('\n') + 1;
        if (text.slice(0, at).replace(/\r?\n$/, '') !== TRANSACTIONS_HEADER) {
          throw new NotDirect('not the plain header');
        }
        header = false;
      }
      while (at < text.length) {
        const next = text.indexOf('\n', at);
        const end = next > 0 && text.charCodeAt(next - 1) === CR ? next - 1 : next;
        if (!this.row(text, at, end)) {
          await this.flush(true);
          this.row(text, at, end);
        }
        at = next + 1;
      }
    }
    if (rest?.length) {
      const text = rest.toString('utf8');
      if (header) throw new NotDirect('no header line');
      if (!this.row(text, 0, text.length)) {
        await this.flush(true);
        this.row(text, 0, text.length);
      }
    }
  }

  /**
   * One CSV row, `text` from `start` to `end` (the line break excluded), into the batch: false
   * (and nothing taken) when it starts a transaction and the batch is full. Synchronous: an
   * `await` per row would cost a microtask each.
   */
  private row(text: string, start: number, end: number): boolean {
    const c1 = text.indexOf(',', start);
    const c2 = text.indexOf(',', c1 + 1);
    const c3 = text.indexOf(',', c2 + 1);
    const c4 = text.indexOf(',', c3 + 1);
    const c5 = text.indexOf(',', c4 + 1);
    const c6 = text.indexOf(',', c5 + 1);
    if (c1 < 0 || c2 < 0 || c3 < 0 || c4 < 0 || c5 < 0 || c6 < 0 || c6 >= end) {
      throw new NotDirect('not seven fields');
    }
    const extra = text.indexOf(',', c6 + 1);
    if (extra !== -1 && extra < end) throw new NotDirect('not seven fields');
    const ref = text.slice(start, c1);
    const status = text.slice(c3 + 1, c4);
    const completedAt = text.slice(c4 + 1, c5);
    const quantityText = text.slice(c6 + 1, end);
    const item = this.items.get(text.slice(c5 + 1, c6));
    const quantity = Number(quantityText);
    if (
      ref.length === 0 ||
      ref.length > 100 ||
      c2 === c1 + 1 ||
      !item ||
      !QUANTITY.test(quantityText) ||
      quantity > MAX_QUANTITY ||
      (status === 'completed' ? !completedAt : status !== 'pending' || completedAt)
    ) {
      throw new NotDirect('a row the staging path has to judge');
    }
    const batch = this.batch;
    let transaction = batch.transactions.get(ref);
    if (!transaction) {
      if (batch.transactions.size >= this.batchTransactions) return false;
      const purchasedAt = text.slice(c2 + 1, c3);
      const purchasedMicros = timestamptzMicros(purchasedAt);
      const completedMicros = completedAt ? timestamptzMicros(completedAt) : undefined;
      if (purchasedMicros === undefined || (completedAt && completedMicros === undefined)) {
        throw new NotDirect('a time the staging path has to judge');
      }
      transaction = {
        id: batch.ids.at(batch.transactions.size),
        ref: detached(ref),
        membershipId: detached(text.slice(c1 + 1, c2)),
        purchasedAt: detached(purchasedAt),
        status,
        completedAt: detached(completedAt),
        purchasedMicros,
        completedMicros,
        priceCents: 0,
        weightGrams: 0,
        lines: 0,
        units: 0,
      };
      batch.transactions.set(transaction.ref, transaction);
    } else if (
      transaction.status !== status ||
      transaction.completedAt !== completedAt ||
      text.slice(c2 + 1, c3) !== transaction.purchasedAt ||
      text.slice(c1 + 1, c2) !== transaction.membershipId
    ) {
      throw new NotDirect('a transaction repeated with other fields');
    }
    transaction.priceCents += quantity * item.costCents;
    transaction.weightGrams += quantity * item.weightGrams;
    transaction.lines += 1;
    transaction.units += quantity;
    if (!Number.isSafeInteger(transaction.priceCents + transaction.weightGrams)) {
      throw new NotDirect('totals beyond exact arithmetic');
    }
    batch.units[item.index] += quantity;
    batch.sales[item.index] += 1;
    batch.addLine(transaction.id, item, quantity);
    this.result.rows += 1;
    return true;
  }

  /**
   * Hands the batch to PostgreSQL once the previous one is written, and (when more follow) takes
   * the next batch's ids first; Node reads on while the batch is written.
   */
  private async flush(more: boolean): Promise<void> {
    await this.flushing;
    const batch = this.batch;
    const next = more ? this.nextBatch() : undefined;
    const written = batch.transactions.size > 0 ? this.write(batch) : Promise.resolve();
    // Awaited at the next flush; the no-op handler keeps a failure from being unhandled until then.
    written.catch(() => undefined);
    this.flushing = written;
    if (next) this.batch = await next;
  }

  private async write(batch: Batch): Promise<void> {
    await this.resolveMembers(batch);
    for (;;) {
      await this.client.query('SAVEPOINT batch');
      try {
        await this.copy(
          'sales.transactions (id, member_id, purchased_at, status, completed_at, external_ref, ' +
            'total_price, total_weight_kg, line_count, item_count)',
          this.transactionRows(batch),
        );
        await this.copy(
          'sales.transaction_lines (transaction_id, item_id, quantity, unit_price, unit_weight_kg)',
          batch.lines,
        );
        await this.client.query('RELEASE SAVEPOINT batch');
        break;
      } catch (error) {
        if (!(
          error instanceof DatabaseError && error.constraint === 'UQ_transactions_external_ref'
        )) {
          throw error;
        }
        await this.client.query('ROLLBACK TO SAVEPOINT batch');
        await this.client.query('RELEASE SAVEPOINT batch');
        this.dropStored(batch, await this.storedRefs(batch));
      }
    }
    for (const transaction of batch.transactions.values()) {
      const member = this.members.get(transaction.membershipId)!;
      const spent = this.spending.get(member) ?? { cents: 0, count: 0 };
      spent.cents += transaction.priceCents;
      spent.count += 1;
      this.spending.set(member, spent);
      this.result.lines += transaction.lines;
    }
    for (let i = 0; i < this.units.length; i++) {
      this.units[i] += batch.units[i];
      this.sales[i] += batch.sales[i];
    }
    this.result.transactions += batch.transactions.size;
    this.spareBuffers.push(batch.lines.buffer);
  }

  /**
   * References of the batch already stored. One stored by this import (an id it reserved) means
   * the transaction's lines are split over two batches: the staging path groups the whole file.
   */
  private async storedRefs(batch: Batch): Promise<Set<string>> {
    const { rows } = await this.client.query<{ ref: string; ours: boolean }>(
      `SELECT external_ref AS ref, id >= $2 AS ours FROM sales.transactions
        WHERE external_ref = ANY($1::text[])`,
      [[...batch.transactions.keys()], this.firstId],
    );
    if (rows.some((row) => row.ours))
      throw new NotDirect('a transaction met again in a later batch');
    return new Set(rows.map((row) => row.ref));
  }

  /** Leaves out the batch's transactions that were imported before, with their lines. */
  private dropStored(batch: Batch, stored: Set<string>): void {
    const dropped = new Set<number>();
    for (const ref of stored) {
      dropped.add(batch.transactions.get(ref)!.id);
      batch.transactions.delete(ref);
    }
    const lines = Buffer.from(batch.lines.bytes());
    batch.lines.length = 0;
    for (let at = 0; at < lines.length;) {
      const item = this.items.get(String(lines.readInt32BE(at + LINE_ITEM_ID)))!;
      const end = at + LINE_UNIT_FIELDS + item.unitFields.length;
      const transactionId =
        lines.readInt32BE(at + LINE_TRANSACTION_ID) * 2 ** 32 +
        lines.readUInt32BE(at + LINE_TRANSACTION_ID + 4);
      if (dropped.has(transactionId)) {
        batch.units[item.index] -= lines.readInt32BE(at + LINE_QUANTITY);
        batch.sales[item.index] -= 1;
      } else {
        batch.lines.append(lines.subarray(at, end));
      }
      at = end;
    }
    this.result.alreadyPresent += stored.size;
  }

  /** Member ids of the batch's membership ids (looked up once, then cached). */
  private async resolveMembers(batch: Batch): Promise<void> {
    if (this.members.size > MAX_MEMBERS_CACHED) this.members.clear();
    const unknown = new Set<string>();
    for (const { membershipId } of batch.transactions.values()) {
      if (!this.members.has(membershipId)) unknown.add(membershipId);
    }
    if (unknown.size === 0) return;
    const { rows } = await this.client.query<{ membership_id: string; id: number }>(
      `SELECT membership_id, min(id) AS id FROM sales.members
        WHERE membership_id = ANY($1::text[]) GROUP BY membership_id HAVING count(*) = 1`,
      [[...unknown]],
    );
    for (const row of rows) this.members.set(row.membership_id, row.id);
    if (rows.length < unknown.size) throw new NotDirect('a membership id of no one person');
  }

  private transactionRows(batch: Batch): BinaryRows {
    const rows = new BinaryRows(Buffer.allocUnsafe(batch.transactions.size * 128));
    for (const x of batch.transactions.values()) {
      rows.row(10).int8(x.id).int4(this.members.get(x.membershipId)!).int8(x.purchasedMicros);
      rows.text(x.status);
      if (x.completedMicros === undefined) rows.null();
      else rows.int8(x.completedMicros);
      rows.text(x.ref).numeric(x.priceCents, 2).numeric(x.weightGrams, 3);
      rows.int4(x.lines).int4(x.units);
    }
    return rows;
  }

  private copy(table: string, rows: BinaryRows): Promise<void> {
    return pipeline(
      Readable.from(rows.toCopyData()),
      this.client.query(copyFrom(`COPY ${table} FROM STDIN WITH (FORMAT binary)`)),
    );
  }

  /** Members first, then items, each in key order, as the lines trigger does (no deadlock). */
  private async applyAggregates(): Promise<void> {
    const members = [...this.spending.keys()].sort((a, b) => a - b);
    await this.bump(
      { table: 'member_spending', key: 'member_id', amount: 'total_spent', type: 'numeric' },
      members.map((member) => {
        const { cents, count } = this.spending.get(member)!;
        return [member, fixed(cents, 2), count];
      }),
    );
    const sold = this.itemList
      .filter((item) => this.sales[item.index] > 0)
      .sort((a, b) => a.id - b.id);
    await this.bump(
      { table: 'item_popularity', key: 'item_id', amount: 'quantity', type: 'bigint' },
      sold.map((item) => [item.id, this.units[item.index], this.sales[item.index]]),
    );
  }

  /** Adds (key, amount, transaction count) rows to an aggregate table, in their order. */
  private async bump(
    aggregate: { table: string; key: string; amount: string; type: string },
    rows: [number, string | number, number][],
  ): Promise<void> {
    const { table, key, amount, type } = aggregate;
    await this.client.query(
      `INSERT INTO sales.${table} AS a (${key}, ${amount}, transaction_count)
       SELECT * FROM unnest($1::int[], $2::${type}[], $3::bigint[])
       ON CONFLICT (${key}) DO UPDATE
         SET ${amount} = a.${amount} + EXCLUDED.${amount},
             transaction_count = a.transaction_count + EXCLUDED.transaction_count`,
      [rows.map((row) => row[0]), rows.map((row) => row[1]), rows.map((row) => row[2])],
    );
  }
}

/**
 * The same text without a reference to the chunk it was sliced from (V8 keeps a long slice as a
 * view of its parent): a batch's transactions would otherwise keep every chunk of text it was
 * read from alive.
 */
function detached(text: string): string {
  return ` ${text}`.slice(1);
}

/** A numeric's text (as PostgreSQL prints numeric(p, s)) as an integer count of its last digit. */
function decimal(text: string): number {
  return Number(text.replace('.', ''));
}

/** The number of digits after a numeric text's point. */
function scale(text: string): number {
  const point = text.indexOf('.');
  return point < 0 ? 0 : text.length - point - 1;
}

/** An integer count of 10^-scale as decimal text. */
function fixed(units: number, scale: number): string {
  const digits = String(units).padStart(scale + 1, '0');
  return `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}
