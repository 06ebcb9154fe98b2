import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { APP_ROOT } from '../config';
import { ParquetFileReader } from '../parquet';
import { WarehouseFixture } from '../testing/warehouse-fixture';
import { MARKETING_COLUMNS } from './marketing-columns';

export const SAMPLE_PARQUET = join(APP_ROOT, 'data', 'organic-share', 'sample.snappy.parquet');

/** The weekly table as a comparable list (computed_at left out: it is the run's time). */
export const WEEKLY_ROWS_SQL = `
  SELECT year, week, to_char(week_start, 'YYYY-MM-DD') AS week_start, country,
    organic_users_p4w::int AS organic, total_users_p4w::int AS total,
    share_organic_p4w::float8 AS share, weeks_with_data_p4w AS weeks_with_data
  FROM warehouse.organic_share_weekly ORDER BY country, week_start`;

export interface WeeklyRow {
  year: number;
  week: number;
  week_start: string;
  country: string;
  organic: number;
  total: number;
  share: number | null;
  weeks_with_data: number;
}

/** Creates `<source>/marketing/<delivery>/` with the given files (paths to copy, or contents). */
export async function marketingDelivery(
  fixture: WarehouseFixture,
  delivery: string,
  files: Record<string, { copyOf: string } | Buffer | string> = {},
): Promise<string> {
  const folder = join(fixture.sourceDir, 'marketing', delivery);
  await mkdir(folder, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    if (typeof content === 'object' && 'copyOf' in content)
      await copyFile(content.copyOf, join(folder, name));
    else await writeFile(join(folder, name), content);
  }
  return folder;
}

/**
 * An independent computation of the weekly table in plain JS from Parquet files (no SQL), to check
 * the SQL against: ISO weeks from the calendar, a spine, and a 4-week window by date.
 */
export async function expectedWeekly(files: string[]): Promise<WeeklyRow[]> {
  const totals = new Map<string, { organic: number; total: number }>();
  for (const file of files) {
    const reader = await ParquetFileReader.open(file, MARKETING_COLUMNS);
    for await (const group of reader.rowGroups()) {
      const [name, value, startDate, , , , , , country, os] = group.columns;
      for (let i = 0; i < group.rowCount; i++) {
        if (os![i] !== 'all' || country![i] === 'ALL') continue;
        const key = `${mondayOf(startDate![i] as string)}|${country![i] as string}`;
        const entry = totals.get(key) ?? { organic: 0, total: 0 };
        entry.total += value![i] as number;
        if (name![i] === 'Organic') entry.organic += value![i] as number;
        totals.set(key, entry);
      }
    }
    await reader.close();
  }
  const keys = [...totals.keys()].map((key) => key.split('|') as [string, string]);
  const weeks = keys.map(([week]) => week).sort();
  const countries = [...new Set(keys.map(([, country]) => country))].sort();
  const rows: WeeklyRow[] = [];
  for (const country of countries) {
    for (let week = weeks[0]!; week <= weeks.at(-1)!; week = addDays(week, 7)) {
      let organic = 0;
      let total = 0;
      let withData = 0;
      for (let back = 0; back < 4; back++) {
        const entry = totals.get(`${addDays(week, -7 * back)}|${country}`);
        if (!entry) continue;
        organic += entry.organic;
        total += entry.total;
        withData++;
      }
      const [year, weekNumber] = isoWeek(week);
      rows.push({
        year,
        week: weekNumber,
        week_start: week,
        country,
        organic,
        total,
        share: total === 0 ? null : Math.round((organic / total) * 1e6) / 1e6,
        weeks_with_data: withData,
      });
    }
  }
  return rows;
}

const DAY = 86_400_000;
const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
const mondayOf = (day: string) =>
  addDays(day, -((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7));

function isoWeek(monday: string): [number, number] {
  const thursday = new Date(Date.parse(`${monday}T00:00:00Z`) + 3 * DAY);
  const year = thursday.getUTCFullYear();
  return [year, Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY)) + 1];
}
