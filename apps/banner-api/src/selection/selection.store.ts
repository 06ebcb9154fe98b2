import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { SelectionRepository, StoredSelection } from './selection.repository';
import { Quarter } from './selection.rules';

/** Every quarter's selections, indexed by campaign. Never mutated: a change builds a new one. */
export interface SelectionSnapshot {
  /** Index 1..4; a quarter without data has an empty map. */
  readonly quarters: ReadonlyArray<ReadonlyMap<number, StoredSelection>>;
  readonly loadedAt: Date;
}

const EMPTY: SelectionSnapshot = {
  quarters: [new Map(), new Map(), new Map(), new Map(), new Map()],
  loadedAt: new Date(0),
};
const RECONNECT_MS = 1000;

/**
 * The selections this replica serves, held in memory. An import commits new selections and
 * NOTIFYs; every replica LISTENs, reloads the quarter and replaces the snapshot reference in one
 * assignment, so a request sees either the old or the new state, never a mix.
 */
@Injectable()
export class SelectionStore implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SelectionStore.name);
  private current: SelectionSnapshot = EMPTY;
  private readonly subscribers: Array<(snapshot: SelectionSnapshot) => void> = [];
  private listener?: Client;
  private reconnectTimer?: NodeJS.Timeout;
  private stopped = false;
  /** Reloads run one at a time; notices arriving meanwhile are merged into the next one. */
  private reloading?: Promise<void>;
  private pending = new Set<Quarter | 'all'>();

  constructor(private readonly repository: SelectionRepository) {}

  get snapshot(): SelectionSnapshot {
    return this.current;
  }

  /** Whether the banner is in a collection of any quarter's published dataset (a "known" banner). */
  isServed(bannerId: number): boolean {
    return this.current.quarters.some((campaigns) =>
      [...campaigns.values()].some((selection) => selection.bannerIds.includes(bannerId)),
    );
  }

  /** Calls `subscriber` now and after every swap. */
  subscribe(subscriber: (snapshot: SelectionSnapshot) => void): void {
    this.subscribers.push(subscriber);
    subscriber(this.current);
  }

  async onApplicationBootstrap(): Promise<void> {
    // Listen before the first load, so no change committed in between is missed.
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    if (this.listener) await this.repository.unlisten(this.listener);
    await this.reloading;
  }

  /** Reloads the given quarter (or all) now; resolves once the new snapshot is served. */
  reload(quarter: Quarter | 'all' = 'all'): Promise<void> {
    this.pending.add(quarter);
    this.reloading ??= this.drain().finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  private async drain(): Promise<void> {
    while (this.pending.size && !this.stopped) {
      const wanted = [...this.pending];
      this.pending.clear();
      const quarter = wanted.length === 1 && wanted[0] !== 'all' ? wanted[0] : undefined;
      try {
        this.swap(quarter, await this.repository.load(quarter));
      } catch (error) {
        this.logger.error(`Could not reload selections: ${(error as Error).message}`);
      }
    }
  }

  private swap(quarter: Quarter | undefined, rows: StoredSelection[]): void {
    const quarters = this.current.quarters.map((map, index) =>
      quarter === undefined || quarter === index ? new Map<number, StoredSelection>() : map,
    ) as Array<Map<number, StoredSelection>>;
    for (const row of rows) quarters[row.quarter].set(row.campaignId, row);
    this.current = { quarters, loadedAt: new Date() };
    for (const subscriber of this.subscribers) subscriber(this.current);
    const counts = quarters.slice(1).map((map) => map.size);
    this.logger.log(`Serving selections (campaigns per quarter: ${counts.join(', ')})`);
  }

  private async connect(): Promise<void> {
    try {
      this.listener = await this.repository.listen(
        (quarter) => void this.reload(quarter ?? 'all'),
        (error) => this.scheduleReconnect(error),
      );
      await this.reload('all');
    } catch (error) {
      this.scheduleReconnect(error as Error);
    }
  }

  private scheduleReconnect(error: Error): void {
    if (this.stopped) return;
    this.logger.warn(`Selection change feed lost (${error.message}); reconnecting`);
    this.listener = undefined;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => void this.connect(), RECONNECT_MS);
  }
}
