import { COUNTRIES, Country } from '../countries/countries';
import { fromEpochDay, toEpochDay } from './dates';
import { dailyChanges, sevenDayAverage } from './series.math';

export const STATUSES = ['confirmed', 'deaths'] as const;
export type Status = (typeof STATUSES)[number];

/** Cumulative counts of one country on one day. */
export interface ObservationPoint {
  country: string;
  date: string;
  confirmed: number;
  deaths: number;
}

/** One row of `/api/series`. */
export interface SeriesRow {
  date: string;
  cumulative: number;
  daily: number | null;
  avg7: number | null;
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
}

/**
 * Every country's series in memory, with daily values and 7-day averages computed once, so a
 * request is an array slice. Built from the database after every load or refresh.
 */
export class SeriesIndex {
  private constructor(private readonly byCountry: Map<string, CountrySeries>) {}

  /** Builds the index from points sorted by country then date; throws on gaps or duplicates. */
  static build(points: readonly ObservationPoint[]): SeriesIndex {
    const grouped = new Map<string, ObservationPoint[]>();
    for (const point of points) {
      const list = grouped.get(point.country) ?? [];
      list.push(point);
      grouped.set(point.country, list);
    }
    const byCountry = new Map<string, CountrySeries>();
    for (const country of COUNTRIES) {
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
      byCountry.set(country.name, {
        country,
        firstDay,
        lastDay: firstDay + list.length - 1,
        dates: list.map((point) => point.date),
        metrics,
      });
    }
    return new SeriesIndex(byCountry);
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

  /** Rows of `series` from `fromDay` to `toDay` (epoch days, inclusive, within the series). */
  static rows(series: CountrySeries, status: Status, fromDay: number, toDay: number): SeriesRow[] {
    const metric = series.metrics[status];
    const rows: SeriesRow[] = [];
    for (let day = fromDay; day <= toDay; day++) {
      const i = day - series.firstDay;
      rows.push({
        date: series.dates[i],
        cumulative: metric.cumulative[i],
        daily: metric.daily[i],
        avg7: metric.avg7[i],
      });
    }
    return rows;
  }
}
