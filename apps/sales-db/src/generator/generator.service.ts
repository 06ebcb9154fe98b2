import { Injectable, Logger } from '@nestjs/common';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TRANSACTIONS_HEADER } from '../transactions-import/transactions-csv';
import { TransactionsImportService } from '../transactions-import/transactions-import.service';
import { SalesDatabase } from '../database/sales-database';
import { seededRandom } from '@des/shared';
import { catalogue } from './catalogue';
import { CopyChunks } from './copy-chunks';
import { GeneratorRepository, CatalogueId } from './generator.repository';

export interface GenerateOptions {
  transactions: number;
  seed?: number;
  /** Purchase times are spread over the `days` before `now`. */
  days?: number;
  now?: Date;
}

export interface GenerateResult {
  itemsCreated: number;
  transactions: number;
  lines: number;
  /** Generated transactions whose reference an earlier run with the same seed already loaded. */
  alreadyPresent: number;
  seconds: number;
  linesPerSecond: number;
}

const DAY = 86_400_000;

/**
 * `generate --transactions N`: the item catalogue (640 items, 8 manufacturers) and N seeded
 * purchases by the imported members, as import-transactions CSV (external_ref
 * `gen-s<seed>-<n>`). With `--out` it is written to a file; without, the same stream is loaded
 * through the import (one bulk path): totals and report aggregates come out of the same
 * statements, and a second run with the same seed adds nothing.
 */
@Injectable()
export class GeneratorService {
  private readonly logger = new Logger(GeneratorService.name);

  constructor(
    private readonly database: SalesDatabase,
    private readonly generator: GeneratorRepository,
    private readonly importer: TransactionsImportService,
  ) {}

  ensureCatalogue(): Promise<number> {
    return this.database.asAdmin((sql) => this.generator.insertCatalogue(sql, catalogue()));
  }

  /** `generate --out FILE`: the purchases as CSV, in 64 KB chunks (memory stays flat). */
  async writeFile(options: GenerateOptions & { out: string }): Promise<{ rows: number }> {
    await this.ensureCatalogue();
    const csv = await this.purchasesCsv(options);
    await pipeline(Readable.from(csv.chunks()), createWriteStream(options.out));
    return { rows: csv.rows() };
  }

  async generate(options: GenerateOptions): Promise<GenerateResult> {
    const itemsCreated = await this.ensureCatalogue();
    const started = process.hrtime.bigint();
    const csv = await this.purchasesCsv(options);
    const imported = await this.importer.importStream(
      `generated transactions (seed ${options.seed ?? DEFAULT_SEED})`,
      () => Readable.from(csv.chunks()),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const result = {
      itemsCreated,
      transactions: imported.transactions,
      lines: imported.lines,
      alreadyPresent: imported.alreadyPresent,
      seconds,
      linesPerSecond: Math.round(imported.rows / seconds),
    };
    this.logger.log(result, 'transactions generated');
    return result;
  }

  /** The seeded purchases as import CSV chunks, over members whose membership id names one person. */
  private async purchasesCsv(options: GenerateOptions) {
    const { items, membershipIds } = await this.database.asAdmin(async (sql) => ({
      items: await this.generator.liveItems(sql),
      membershipIds: await this.generator.uniqueMembershipIds(sql),
    }));
    if (membershipIds.length === 0) {
      throw new Error(
        'there are no members: import the pipeline output first (import-members <dir>)',
      );
    }
    const seed = options.seed ?? DEFAULT_SEED;
    const now = (options.now ?? new Date()).getTime();
    const span = (options.days ?? 365) * DAY;
    const out = new CopyChunks();
    return {
      rows: () => out.rows,
      *chunks(): Generator<Buffer> {
        const random = seededRandom(seed);
        const sink = csvSink(seed, membershipIds, items, out);
        yield Buffer.from(`${TRANSACTIONS_HEADER}\n`);
        for (let id = 1; id <= options.transactions; id += 1) {
          purchase(id, membershipIds.length, items.length, random, now, span, sink);
          yield* out.take();
        }
        yield* out.finish();
      },
    };
  }
}

const DEFAULT_SEED = 7;

/** Where a generated purchase goes (CSV rows of the import format). */
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

/** CSV rows of the import format; each line repeats its transaction's fields. */
function csvSink(
  seed: number,
  membershipIds: string[],
  items: CatalogueId[],
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
