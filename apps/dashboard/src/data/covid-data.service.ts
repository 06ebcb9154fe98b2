import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG } from '@des/shared';
import { DashboardConfig } from '../config';
import { Country } from '../countries/country-catalog';
import { Refresh } from '../database/refresh.entity';
import { ObservationPoint, SeriesIndex, STATUSES } from '../series/series-index';
import { DayCases, parseCountryStatus } from './live.validation';
import { LiveSourceRepository, NotAtSourceError } from './live-source.repository';
import { ObservationsRepository } from './observations.repository';
import { SnapshotRepository } from './snapshot.repository';

/** What the page's source line and `/api/countries` say about where the data comes from. */
export interface DataStatus {
  dataAsOf: string | null;
  snapshot: { loadedAt: string | null; dataAsOf: string | null };
  live: {
    configured: boolean;
    intervalMinutes: number;
    lastAttemptAt: string | null;
    lastAttemptOk: boolean | null;
    lastError: string | null;
    lastGoodAt: string | null;
    lastGoodDataAsOf: string | null;
  };
}

/** Result of one live refresh. */
export interface RefreshResult {
  ok: boolean;
  rows: number;
  dataAsOf: string | null;
  error?: string;
}

const LIVE_CONCURRENCY = 4;

/**
 * Owns the data: loads the shipped snapshot into PostgreSQL once, keeps the in-memory series
 * index that every request reads, and refreshes from the live source on a schedule. A failed
 * refresh changes nothing but the recorded status, so the last good data keeps being served.
 */
@Injectable()
export class CovidDataService implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(CovidDataService.name);
  private current: SeriesIndex = SeriesIndex.build([], []);
  private snapshotRecord: Refresh | null = null;
  private liveLast: Refresh | null = null;
  private liveLastGood: Refresh | null = null;
  private inFlight: Promise<RefreshResult> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: DashboardConfig,
    private readonly snapshots: SnapshotRepository,
    private readonly observations: ObservationsRepository,
    private readonly liveSource: LiveSourceRepository,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  get index(): SeriesIndex {
    return this.current;
  }

  async onModuleInit(): Promise<void> {
    const dir = this.config.COVID_SNAPSHOT_DIR;
    const checksum = await this.snapshots.checksum(dir);
    // Parsing the files takes seconds; a restart with a loaded snapshot skips it. The load itself
    // checks again under its lock, for replicas starting together.
    const snapshot = (await this.observations.snapshotLoaded(checksum))
      ? null
      : await this.snapshots.read(dir);
    const written =
      snapshot &&
      (await this.observations.loadSnapshot(snapshot.countries, snapshot.points, checksum));
    this.logger.log(
      written === null
        ? `Snapshot ${checksum.slice(0, 12)} already loaded`
        : `Loaded snapshot ${dir}: ${snapshot!.countries.length} countries, ${written} rows into covid.observations`,
    );
    this.snapshotRecord = (await this.observations.latest('snapshot')).lastGood;
    await this.reloadIndex();
  }

  onApplicationBootstrap(): void {
    if (!this.config.COVID_API_URL) return;
    const intervalMs = this.config.COVID_REFRESH_INTERVAL_MINUTES * 60_000;
    // A refresh records its own failures; this catches only a lost database (e.g. at shutdown).
    const run = () =>
      void this.refreshLive().catch((error: unknown) =>
        this.logger.error(`Live refresh could not record its outcome: ${String(error)}`),
      );
    const timer = setInterval(run, intervalMs);
    this.scheduler.addInterval('covid-live-refresh', timer);
    // Refresh now unless the last good refresh is recent (a restart should not hammer the source).
    const lastGoodAt = this.liveLastGood?.finishedAt.getTime() ?? 0;
    if (Date.now() - lastGoodAt >= intervalMs) run();
  }

  /** Fetches every country and status from the live source; concurrent calls share one run. */
  refreshLive(): Promise<RefreshResult> {
    this.inFlight ??= this.runRefresh().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  status(): DataStatus {
    return {
      dataAsOf: this.current.dataAsOf,
      snapshot: {
        loadedAt: this.snapshotRecord?.finishedAt.toISOString() ?? null,
        dataAsOf: this.snapshotRecord?.dataAsOf ?? null,
      },
      live: {
        configured: Boolean(this.config.COVID_API_URL),
        intervalMinutes: this.config.COVID_REFRESH_INTERVAL_MINUTES,
        lastAttemptAt: this.liveLast?.finishedAt.toISOString() ?? null,
        lastAttemptOk: this.liveLast?.ok ?? null,
        lastError: this.liveLast?.ok === false ? this.liveLast.error : null,
        lastGoodAt: this.liveLastGood?.finishedAt.toISOString() ?? null,
        lastGoodDataAsOf: this.liveLastGood?.dataAsOf ?? null,
      },
    };
  }

  private async runRefresh(): Promise<RefreshResult> {
    const startedAt = new Date();
    let result: RefreshResult;
    try {
      const live = await this.fetchAll();
      // Check the merged series before writing anything: a gap would break one-row-per-day.
      const merged = new Map<string, ObservationPoint>();
      for (const point of [...(await this.observations.all()), ...live]) {
        merged.set(`${point.country}|${point.date}`, point);
      }
      SeriesIndex.build(
        [...merged.values()].sort((a, b) =>
          a.country === b.country
            ? a.date.localeCompare(b.date)
            : a.country.localeCompare(b.country),
        ),
        this.current.catalog.all,
      );
      const rows = await this.observations.saveLive(live, startedAt);
      await this.reloadIndex();
      result = { ok: true, rows, dataAsOf: this.current.dataAsOf };
      this.logger.log(`Live refresh stored ${rows} rows; data as of ${result.dataAsOf}`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.observations.recordFailure('live', startedAt, message);
      result = { ok: false, rows: 0, dataAsOf: this.current.dataAsOf, error: message };
      this.logger.warn(`Live refresh failed, keeping data as of ${result.dataAsOf}: ${message}`);
    }
    await this.reloadLiveStatus();
    return result;
  }

  /**
   * Every country (not ships or games) from the live source. A country the source answers 404
   * for keeps its stored data; a source that carries none of them is a failed refresh.
   */
  private async fetchAll(): Promise<ObservationPoint[]> {
    const wanted = this.current.catalog.all.filter((country) => country.kind === 'country');
    const queue = [...wanted];
    const points: ObservationPoint[] = [];
    let notAtSource = 0;
    const worker = async () => {
      for (let country = queue.shift(); country; country = queue.shift()) {
        try {
          points.push(...(await this.fetchCountry(country)));
        } catch (error) {
          if (!(error instanceof NotAtSourceError)) throw error;
          notAtSource++;
        }
      }
    };
    await Promise.all(Array.from({ length: LIVE_CONCURRENCY }, worker));
    if (notAtSource === wanted.length) {
      throw new Error(`the live source answered 404 for all ${wanted.length} countries`);
    }
    if (notAtSource) {
      this.logger.log(`The live source has no data for ${notAtSource} countries; kept as stored`);
    }
    return points;
  }

  private async fetchCountry(country: Country): Promise<ObservationPoint[]> {
    const [confirmed, deaths] = await Promise.all(
      STATUSES.map(async (status) =>
        parseCountryStatus(
          await this.liveSource.countryStatus(country.slug, status),
          country,
          status,
        ),
      ),
    );
    const deathsByDate = new Map(deaths.map((day: DayCases) => [day.date, day.cases]));
    if (confirmed.length !== deaths.length || confirmed.some((d) => !deathsByDate.has(d.date))) {
      throw new Error(`${country.slug}: confirmed and deaths responses cover different days`);
    }
    return confirmed.map((day) => ({
      country: country.name,
      date: day.date,
      confirmed: day.cases,
      deaths: deathsByDate.get(day.date)!,
    }));
  }

  private async reloadIndex(): Promise<void> {
    const [points, countries] = await Promise.all([
      this.observations.all(),
      this.observations.countries(),
    ]);
    this.current = SeriesIndex.build(points, countries);
    await this.reloadLiveStatus();
  }

  private async reloadLiveStatus(): Promise<void> {
    const { last, lastGood } = await this.observations.latest('live');
    this.liveLast = last;
    this.liveLastGood = lastGood;
  }
}
