import { Injectable, Logger } from '@nestjs/common';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TRANSACTIONS_HEADER } from '../transactions-import/transactions-csv';
import { SalesDatabase } from '../database/sales-database';
import { seededRandom } from '@des/shared';
import { catalogue } from './catalogue';
import { CopyChunks } from './copy-chunks';
import { GeneratorRepository, PricedItem } from './generator.repository';

export interface GenerateOptions {
  transactions: number;
  /** Transactions per database transaction (and per COPY pair). */
  batchSize?: number;
  /** Batches loaded at the same time, each on its own connection. */
  concurrency?: number;
  seed?: number;
  /** Purchase times are spread over the `days` before `now`. */
  days?: number;
  now?: Date;
  onProgress?: (done: number, lines: number) => void;
}

export interface GenerateResult {
  itemsCreated: number;
  transactions: number;
  lines: number;
  seconds: number;
  linesPerSecond: number;
}

const DAY = 86_400_000;

/**
 * `generate --transactions N`: the item catalogue (640 items, 8 manufacturers) and N transactions
 * over the imported members, loaded with COPY. Totals and report aggregates are filled by the
 * database's statement-level triggers, exactly as for API inserts.
 */
@Injectable()
export class GeneratorService {
  private readonly logger = new Logger(GeneratorService.name);

  constructor(
    private readonly database: SalesDatabase,
    private readonly generator: GeneratorRepository,
  ) {}

  ensureCatalogue(): Promise<number> {
    return this.database.asAdmin((sql) => this.generator.insertCatalogue(sql, catalogue()));
  }

  /**
   * `generate --out FILE`: the same seeded purchases as CSV in the import-transactions format
   * (external_ref `gen-s<seed>-<n>`), over members whose membership id names one person. Written
   * in 64 KB chunks, so memory stays flat at any size.
   */
  async writeFile(options: GenerateOptions & { out: string }): Promise<{ rows: number }> {
    await this.ensureCatalogue();
    const { items, membershipIds } = await this.database.asAdmin(async (sql) => ({
      items: await this.generator.liveItems(sql),
      membershipIds: await this.generator.uniqueMembershipIds(sql),
    }));
    if (membershipIds.length === 0) {
      throw new Error(
        'there are no members: import the pipeline output first (import-members <dir>)',
      );
    }
    const seed = options.seed ?? 7;
    const now = (options.now ?? new Date()).getTime();
    const span = (options.days ?? 365) * DAY;
    const random = seededRandom(seed);
    const out = new CopyChunks();
    const sink = csvSink(seed, membershipIds, items, out);
    function* chunks(): Generator<Buffer> {
      yield Buffer.from(`${TRANSACTIONS_HEADER}\n`);
      for (let id = 1; id <= options.transactions; id += 1) {
        purchase(id, membershipIds.length, items.length, random, now, span, sink);
        yield* out.take();
      }
      yield* out.finish();
    }
    await pipeline(Readable.from(chunks()), createWriteStream(options.out));
    return { rows: out.rows };
  }

  async generate(options: GenerateOptions): Promise<GenerateResult> {
    const itemsCreated = await this.ensureCatalogue();
    const { items, members } = await this.database.asAdmin(async (sql) => ({
      items: await this.generator.liveItems(sql),
      members: await this.generator.memberIds(sql),
    }));
    if (members.length === 0) {
      throw new Error(
        'there are no members: import the pipeline output first (import-members <dir>)',
      );
    }
    const seed = options.seed ?? 7;
    const batchSize = options.batchSize ?? 100_000;
    const now = (options.now ?? new Date()).getTime();
    const span = (options.days ?? 365) * DAY;
    const batches = Math.ceil(options.transactions / batchSize);
    const started = process.hrtime.bigint();
    let next = 0;
    let done = 0;
    let lines = 0;
    // Each batch has its own seed, so the data do not depend on which worker loads it.
    const loadBatch = (batch: number) =>
      this.database.asAdmin(async (sql, client) => {
        const count = Math.min(batchSize, options.transactions - batch * batchSize);
        const random = seededRandom(seed * 100_003 + batch);
        await this.generator.prepareBulkLoad(sql);
        const ids = await this.generator.reserveTransactionIds(sql, count);
        // Transaction rows are produced lazily while their COPY streams, so generating overlaps
        // with loading; the lines go straight into ~64 KB buffers for the second COPY.
        const lines = new CopyChunks();
        function* transactions(): Generator<Buffer> {
          const rows = new CopyChunks();
          const sink = copySink(members, items, rows, lines);
          for (const id of ids) {
            purchase(id, members.length, items.length, random, now, span, sink);
            yield* rows.take();
          }
          yield* rows.finish();
        }
        await this.generator.copy(
          client,
          'sales.transactions',
          ['id', 'member_id', 'purchased_at', 'status', 'completed_at'],
          transactions(),
        );
        await this.generator.copy(
          client,
          'sales.transaction_lines',
          ['transaction_id', 'item_id', 'quantity', 'unit_price', 'unit_weight_kg'],
          lines.finish(),
        );
        return { count, lines: lines.rows };
      });
    // Concurrent loaders share the aggregate rows; the triggers' ordered upserts keep them exact.
    const worker = async () => {
      while (next < batches) {
        const loaded = await loadBatch(next++);
        done += loaded.count;
        lines += loaded.lines;
        options.onProgress?.(done, lines);
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 2, batches) }, worker));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const result = {
      itemsCreated,
      transactions: done,
      lines,
      seconds,
      linesPerSecond: Math.round(lines / seconds),
    };
    this.logger.log(result, 'transactions generated');
    return result;
  }
}

/** Where a generated purchase goes: COPY text for the bulk load, or CSV rows for `--out`. */
interface PurchaseSink {
  transaction(
    id: number,
    member: number,
    purchasedAt: string,
    completedAt: string | undefined,
  ): void;
  line(id: number, item: number, quantity: number): void;
}

/**
 * One purchase of 1-5 distinct items (member and items by index); popular items (low index) are
 * picked more often. The order of random draws fixes the seeded data set.
 */
function purchase(
  id: number,
  members: number,
  items: number,
  random: () => number,
  now: number,
  span: number,
  sink: PurchaseSink,
): void {
  const member = Math.floor(random() * members);
  const purchasedAt = now - Math.floor(random() * span);
  // Older than a week: delivered. Recent purchases are still pending.
  const completed = now - purchasedAt > 7 * DAY;
  const completedAt = completed
    ? new Date(purchasedAt + Math.floor(random() * 3 * DAY)).toISOString()
    : undefined;
  sink.transaction(id, member, new Date(purchasedAt).toISOString(), completedAt);
  const count = 1 + Math.floor(random() * 5);
  const chosen = new Set<number>();
  while (chosen.size < Math.min(count, items)) {
    chosen.add(Math.floor(items * random() * random()));
  }
  for (const index of chosen) sink.line(id, index, 1 + Math.floor(random() * random() * 5));
}

/** COPY text for sales.transactions and sales.transaction_lines. */
const copySink = (
  members: number[],
  items: PricedItem[],
  rows: CopyChunks,
  lines: CopyChunks,
): PurchaseSink => ({
  transaction: (id, member, purchasedAt, completedAt) =>
    rows.add(
      `${id}\t${members[member]}\t${purchasedAt}\t${completedAt ? 'completed' : 'pending'}\t${completedAt ?? '\\N'}\n`,
    ),
  line: (id, item, quantity) => {
    const { id: itemId, cost, weightKg } = items[item];
    lines.add(`${id}\t${itemId}\t${quantity}\t${cost}\t${weightKg}\n`);
  },
});

/** CSV rows of the import format; each line repeats its transaction's fields. */
function csvSink(
  seed: number,
  membershipIds: string[],
  items: PricedItem[],
  out: CopyChunks,
): PurchaseSink {
  let current = '';
  return {
    transaction: (id, member, purchasedAt, completedAt) => {
      current = `gen-s${seed}-${id},${membershipIds[member]},${purchasedAt},${completedAt ? 'completed' : 'pending'},${completedAt ?? ''}`;
    },
    line: (_id, item, quantity) => out.add(`${current},${items[item].id},${quantity}\n`),
  };
}
