import { Injectable, Logger } from '@nestjs/common';
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
          for (const id of ids) {
            purchase(id, members, items, random, now, span, rows, lines);
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

/**
 * One purchase of 1-5 distinct items, appended as COPY text to `rows` and `lines`; popular items
 * (low index) are picked more often. The order of random draws fixes the seeded data set.
 */
function purchase(
  id: number,
  members: number[],
  items: PricedItem[],
  random: () => number,
  now: number,
  span: number,
  rows: CopyChunks,
  lines: CopyChunks,
): void {
  const member = members[Math.floor(random() * members.length)];
  const purchasedAt = now - Math.floor(random() * span);
  // Older than a week: delivered. Recent purchases are still pending.
  const completed = now - purchasedAt > 7 * DAY;
  const completedAt = completed
    ? new Date(purchasedAt + Math.floor(random() * 3 * DAY)).toISOString()
    : '\\N';
  rows.add(
    `${id}\t${member}\t${new Date(purchasedAt).toISOString()}\t${completed ? 'completed' : 'pending'}\t${completedAt}\n`,
  );
  const count = 1 + Math.floor(random() * 5);
  const chosen = new Set<number>();
  while (chosen.size < Math.min(count, items.length)) {
    chosen.add(Math.floor(items.length * random() * random()));
  }
  for (const index of chosen) {
    const item = items[index];
    const quantity = 1 + Math.floor(random() * random() * 5);
    lines.add(`${id}\t${item.id}\t${quantity}\t${item.cost}\t${item.weightKg}\n`);
  }
}
