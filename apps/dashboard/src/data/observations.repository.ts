import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Country, CountryKind } from '../countries/country-catalog';
import { CountryRecord } from '../database/country.entity';
import { Refresh } from '../database/refresh.entity';
import { ObservationPoint } from '../series/series-index';

export type Source = 'snapshot' | 'live';

/** Outcome of one load, as recorded in `covid.refreshes`. */
export interface RefreshRecord {
  source: Source;
  startedAt: Date;
  ok: boolean;
  rows: number;
  dataAsOf: string | null;
  checksum?: string | null;
  error?: string | null;
}

/** The only place that reads and writes `covid.observations`, `covid.countries` and `covid.refreshes`. */
@Injectable()
export class ObservationsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Loads the snapshot (its countries and observations) unless a load of the same files (by
   * checksum) already succeeded. Serialised by an advisory lock so replicas starting together load
   * it once. Rows a live refresh wrote are newer than the snapshot and are left alone. Returns the
   * observation rows written, or null when skipped.
   */
  async loadSnapshot(
    countries: readonly Country[],
    points: readonly ObservationPoint[],
    checksum: string,
  ): Promise<number | null> {
    const startedAt = new Date();
    return this.dataSource.transaction(async (manager) => {
      await manager.query("SELECT pg_advisory_xact_lock(hashtext('covid:snapshot'))");
      if (await this.snapshotLoaded(checksum, manager)) return null;
      await manager.upsert(CountryRecord, [...countries], ['name']);
      const rows = await this.upsert(manager, points, 'snapshot');
      await this.insertRefresh(manager, {
        source: 'snapshot',
        startedAt,
        ok: true,
        rows,
        dataAsOf: latestDate(points),
        checksum,
      });
      return rows;
    });
  }

  /** Whether a load of the snapshot with this checksum already succeeded. */
  snapshotLoaded(checksum: string, manager = this.dataSource.manager): Promise<boolean> {
    return manager.exists(Refresh, { where: { source: 'snapshot', ok: true, checksum } });
  }

  /** Writes a validated live refresh in one transaction: all of it or nothing. */
  async saveLive(points: readonly ObservationPoint[], startedAt: Date): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await this.upsert(manager, points, 'live');
      await this.insertRefresh(manager, {
        source: 'live',
        startedAt,
        ok: true,
        rows,
        dataAsOf: latestDate(points),
      });
      return rows;
    });
  }

  async recordFailure(source: Source, startedAt: Date, error: string): Promise<void> {
    await this.insertRefresh(this.dataSource.manager, {
      source,
      startedAt,
      ok: false,
      rows: 0,
      dataAsOf: null,
      error,
    });
  }

  /** Every observation, by country then date. */
  async all(): Promise<ObservationPoint[]> {
    return this.dataSource.query(
      "SELECT country, to_char(date, 'YYYY-MM-DD') AS date, confirmed, deaths FROM covid.observations ORDER BY country, date",
    );
  }

  /** Every country of the loaded snapshot, by name. */
  async countries(): Promise<Country[]> {
    const rows = await this.dataSource
      .getRepository(CountryRecord)
      .find({ order: { name: 'ASC' } });
    return rows.map((row) => ({ ...row, kind: row.kind as CountryKind }));
  }

  /** The latest attempt of a source, and the latest successful one. */
  async latest(source: Source): Promise<{ last: Refresh | null; lastGood: Refresh | null }> {
    const repository = this.dataSource.getRepository(Refresh);
    const [last, lastGood] = await Promise.all([
      repository.findOne({ where: { source }, order: { id: 'DESC' } }),
      repository.findOne({ where: { source, ok: true }, order: { id: 'DESC' } }),
    ]);
    return { last, lastGood };
  }

  private async upsert(
    manager: EntityManager,
    points: readonly ObservationPoint[],
    source: Source,
  ): Promise<number> {
    // One statement with array parameters: ~20k rows in a single round trip.
    const protect = source === 'snapshot' ? "WHERE covid.observations.source = 'snapshot'" : '';
    const result: unknown[] = await manager.query(
      `INSERT INTO covid.observations (country, date, confirmed, deaths, source)
       SELECT c, d, cf, de, $5 FROM unnest($1::text[], $2::date[], $3::int[], $4::int[]) AS t(c, d, cf, de)
       ON CONFLICT (country, date) DO UPDATE
         SET confirmed = EXCLUDED.confirmed, deaths = EXCLUDED.deaths, source = EXCLUDED.source
         ${protect}
       RETURNING 1`,
      [
        points.map((p) => p.country),
        points.map((p) => p.date),
        points.map((p) => p.confirmed),
        points.map((p) => p.deaths),
        source,
      ],
    );
    return result.length;
  }

  private async insertRefresh(manager: EntityManager, record: RefreshRecord): Promise<void> {
    await manager.insert(Refresh, {
      ...record,
      checksum: record.checksum ?? null,
      error: record.error ?? null,
      finishedAt: new Date(),
    });
  }
}

function latestDate(points: readonly ObservationPoint[]): string | null {
  return points.reduce<string | null>(
    (max, p) => (max === null || p.date > max ? p.date : max),
    null,
  );
}
