import { Country, CountryCatalog } from '../countries/country-catalog';
import { fromEpochDay, toEpochDay } from './dates';
import { dailyChanges, perMillion, sevenDayAverage, weeklyReportingStretches } from './series.math';

export const STATUSES = ['confirmed', 'deaths'] as const;
export type Status = (typeof STATUSES)[number];

/** Cumulative counts of one country on one day. */
export interface ObservationPoint {
  country: string;
  date: string;
  confirmed: number;
  deaths: number;
}

/** One row of `/api/series`; the per-million fields only with `per=million`. */
export interface SeriesRow {
  date: string;
  cumulative: number;
  daily: number | null;
  avg7: number | null;
  cumulativePerMillion?: number;
  dailyPerMillion?: number | null;
  avg7PerMillion?: number | null;
}

/** Days (inclusive) in which a country reported weekly instead of daily. */
export interface ReportingStretch {
  from: string;
  to: string;
}

interface MetricSeries {
  cumulative: number[];
  daily: Array<number | null>;
  avg7: Array<number | null>;
}

/** One country's series: one value per day from `firstDay` to `lastDay` (epoch days), no gaps. */
export interface CountrySeries {
  country: Country;
  firstDay: number;
  lastDay: number;
  dates: string[];
  metrics: Record<Status, MetricSeries>;
  /** Detected in the confirmed series; reporting cadence is the country's, so deaths share it. */
  weeklyReporting: ReportingStretch[];
}

/**
 * Every country's series in memory, with daily values, 7-day averages and weekly-reporting
 * stretches computed once, so a request is an array slice. Built from the database after every
 * load or refresh.
 */
export class SeriesIndex {
  private constructor(
    readonly catalog: CountryCatalog,
    private readonly byCountry: Map<string, CountrySeries>,
  ) {}

  /** Builds the index from points sorted by country then date; throws on gaps. */
  static build(points: readonly ObservationPoint[], countries: readonly Country[]): SeriesIndex {
    const grouped = new Map<string, ObservationPoint[]>();
    for (const point of points) {
      const list = grouped.get(point.country) ?? [];
      list.push(point);
      grouped.set(point.country, list);
    }
    const byCountry = new Map<string, CountrySeries>();
    for (const country of countries) {
      const list = grouped.get(country.name);
      if (!list?.length) continue;
      const firstDay = toEpochDay(list[0].date)!;
      list.forEach((point, i) => {
        if (toEpochDay(point.date) !== firstDay + i) {
          throw new Error(
            `${country.name}: expected ${fromEpochDay(firstDay + i)} after ${list[i - 1]?.date}, found ${point.date} (series must have one row per day)`,
          );
        }
      });
      const metrics = Object.fromEntries(
        STATUSES.map((status) => {
          const cumulative = list.map((point) => point[status]);
          const daily = dailyChanges(cumulative);
          return [status, { cumulative, daily, avg7: sevenDayAverage(daily) }];
        }),
      ) as Record<Status, MetricSeries>;
      const dates = list.map((point) => point.date);
      byCountry.set(country.name, {
        country,
        firstDay,
        lastDay: firstDay + list.length - 1,
        dates,
        metrics,
        weeklyReporting: weeklyReportingStretches(metrics.confirmed.daily).map(([from, to]) => ({
          from: dates[from],
          to: dates[to],
        })),
      });
    }
    return new SeriesIndex(new CountryCatalog(countries), byCountry);
  }

  get countries(): CountrySeries[] {
    return [...this.byCountry.values()];
  }

  get(country: Country): CountrySeries | undefined {
    return this.byCountry.get(country.name);
  }

  /** Latest date any country has data for. */
  get dataAsOf(): string | null {
    const last = Math.max(...this.countries.map((series) => series.lastDay));
    return Number.isFinite(last) ? fromEpochDay(last) : null;
  }

  /**
   * Rows of `series` from `fromDay` to `toDay` (epoch days, inclusive, within the series), with
   * per-million values when a population is given.
   */
  static rows(
    series: CountrySeries,
    status: Status,
    fromDay: number,
    toDay: number,
    population?: number,
  ): SeriesRow[] {
    const metric = series.metrics[status];
    const rows: SeriesRow[] = [];
    for (let day = fromDay; day <= toDay; day++) {
      const i = day - series.firstDay;
      const row: SeriesRow = {
        date: series.dates[i],
        cumulative: metric.cumulative[i],
        daily: metric.daily[i],
        avg7: metric.avg7[i],
      };
      if (population) {
        row.cumulativePerMillion = perMillion(row.cumulative, population)!;
        row.dailyPerMillion = perMillion(row.daily, population);
        row.avg7PerMillion = perMillion(row.avg7, population);
      }
      rows.push(row);
    }
    return rows;
  }
}
