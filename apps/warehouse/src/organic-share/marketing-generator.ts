import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { seededRandom } from '@des/shared';
import { ParquetFileWriter, type ParquetCodec, type ParquetColumnSpec } from '../parquet';
import { MARKETING_COLUMNS } from './marketing-columns';

/** The channels of the real sample (26 names; Organic is the one the share is about). */
export const SAMPLE_CHANNELS = [
  'Organic',
  'Website',
  'Email',
  'Instagram Installs',
  'Facebook Installs',
  'Google Ads',
  'Apple Search Ads',
  'TikTok',
  'Twitter',
  'Snapchat',
  'YouTube',
  'Referral',
  'Affiliate',
  'Blog',
  'Podcast',
  'Partnership',
  'Display',
  'Reddit',
  'LinkedIn',
  'Pinterest',
  'Quora',
  'App Store Featured',
  'Influencer',
  'Press',
  'Event',
  'Unattributed',
];

export interface MarketingDataOptions {
  /** First day, YYYY-MM-DD. */
  from: string;
  days: number;
  countries: readonly string[];
  osNames?: readonly string[];
  /** How many channels of SAMPLE_CHANNELS (Organic first). */
  channels?: number;
  seed?: number;
  /** Share of (day, country) pairs with no rows at all, and of (ISO week, country) pairs. */
  missingDayRate?: number;
  missingWeekRate?: number;
  /** Every row's dataplatform_inserted_at. */
  insertedAt?: Date;
}

const DAY = 86_400_000;

/** `2020_53`: the ISO year and week of a UTC day, as the source writes year_week. */
export function isoYearWeek(day: Date): string {
  const thursday = new Date(day.getTime() + (3 - ((day.getUTCDay() + 6) % 7)) * DAY);
  const isoYear = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(isoYear, 0, 1)) / (7 * DAY)) + 1;
  return `${isoYear}_${String(week).padStart(2, '0')}`;
}

/**
 * Synthetic marketing rows in the source's shape, seeded: for each day, every country (plus the
 * `ALL` aggregate) × every OS (plus the `all` aggregate) × channel. `all` rows are the sum of the
 * OS rows; `ALL` rows are the countries' sum plus users from countries not listed (as in the
 * sample, not a plain sum). Some (day, country) pairs and whole (week, country) pairs have no rows.
 * Values in MARKETING_COLUMNS order.
 */
export function* marketingRows(options: MarketingDataOptions): Generator<unknown[]> {
  const random = seededRandom(options.seed ?? 1);
  const osNames = options.osNames ?? ['ios', 'android'];
  const channels = SAMPLE_CHANNELS.slice(0, options.channels ?? SAMPLE_CHANNELS.length);
  const insertedAt = options.insertedAt ?? new Date('2021-12-14T03:00:00.123Z');
  // Each country has its own size and organic propensity, so shares differ between countries.
  const scale = new Map(options.countries.map((country) => [country, 5 + random() * 40]));
  const organicBias = new Map(options.countries.map((country) => [country, 1 + random() * 6]));
  const missingWeeks = new Set<string>();
  const start = Date.parse(`${options.from}T00:00:00Z`);
  for (let d = 0; d < options.days; d++) {
    const day = new Date(start + d * DAY);
    const date = day.toISOString().slice(0, 10);
    const yearWeek = isoYearWeek(day);
    const allCountries = new Map<string, number>();
    for (const country of options.countries) {
      const weekKey = `${yearWeek}:${country}`;
      if (day.getUTCDay() === 1 && random() < (options.missingWeekRate ?? 0.04))
        missingWeeks.add(weekKey);
      if (missingWeeks.has(weekKey) || random() < (options.missingDayRate ?? 0.08)) continue;
      for (const channel of channels) {
        const mean =
          scale.get(country)! * (channel === 'Organic' ? organicBias.get(country)! : 1) * random();
        let allOs = 0;
        for (const os of osNames) {
          const value = Math.floor(mean * random());
          allOs += value;
          yield row(channel, value, date, yearWeek, insertedAt, country, os);
        }
        yield row(channel, allOs, date, yearWeek, insertedAt, country, 'all');
        allCountries.set(channel, (allCountries.get(channel) ?? 0) + allOs);
      }
    }
    if (allCountries.size === 0) continue;
    for (const channel of channels) {
      const value = (allCountries.get(channel) ?? 0) + Math.floor(random() * 10);
      yield row(channel, value, date, yearWeek, insertedAt, 'ALL', 'all');
    }
  }
}

function row(
  channel: string,
  value: number,
  date: string,
  yearWeek: string,
  insertedAt: Date,
  country: string,
  os: string,
): unknown[] {
  const token = `t${channel.length.toString(36)}${channel.charCodeAt(0).toString(36)}`;
  return [
    channel,
    value,
    date,
    date,
    yearWeek,
    channel !== 'Organic',
    token,
    insertedAt,
    country,
    os,
  ];
}

/** The source's Parquet types (value as float32, as the real export writes it). */
export const MARKETING_PARQUET_COLUMNS: ParquetColumnSpec[] = MARKETING_COLUMNS.map(
  ({ name, kinds }) => ({
    name,
    kind: kinds[0],
  }),
);

export interface DeliveryFilesOptions {
  files?: number;
  codec?: ParquetCodec;
  rowGroupSize?: number;
  /** Rows go to files at random and each row group is shuffled (memory: one group per file). */
  shuffleSeed?: number;
}

/**
 * Writes rows as a delivery: `folder/part-<n>.parquet`, in as many files as asked. Returns the
 * file paths and the row count.
 */
export async function writeDeliveryFiles(
  folder: string,
  rows: Iterable<unknown[]>,
  options: DeliveryFilesOptions = {},
): Promise<{ paths: string[]; rows: number }> {
  await mkdir(folder, { recursive: true });
  const fileCount = options.files ?? 1;
  const rowGroupSize = options.rowGroupSize ?? 100_000;
  const random = options.shuffleSeed === undefined ? undefined : seededRandom(options.shuffleSeed);
  const paths = Array.from({ length: fileCount }, (_, i) =>
    join(folder, `part-${String(i).padStart(3, '0')}.parquet`),
  );
  const writers = await Promise.all(
    paths.map((path) =>
      ParquetFileWriter.create(path, MARKETING_PARQUET_COLUMNS, {
        codec: options.codec,
        rowGroupSize,
      }),
    ),
  );
  const pending: unknown[][][] = writers.map(() => []);
  const flush = (file: number) => {
    const group = pending[file]!;
    if (random) shuffle(group, random);
    for (const values of group) writers[file]!.writeRow(values);
    pending[file] = [];
  };
  let count = 0;
  for (const values of rows) {
    const file = random ? Math.floor(random() * fileCount) : count % fileCount;
    pending[file]!.push(values);
    if (pending[file]!.length >= rowGroupSize) flush(file);
    count++;
  }
  for (let file = 0; file < fileCount; file++) {
    flush(file);
    await writers[file]!.close();
  }
  return { paths, rows: count };
}

function shuffle<T>(items: T[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
