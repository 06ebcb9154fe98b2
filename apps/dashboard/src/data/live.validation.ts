import { z } from 'zod';
import { Country } from '../countries/country-catalog';
import { fromEpochDay, toEpochDay } from '../series/dates';
import { Status } from '../series/series-index';

/** Thrown when a live response is not what covid19api.com returned; names the element and field. */
export class LiveValidationError extends Error {
  override name = 'LiveValidationError';
}

/** `Lat`/`Lon`: strings in later covid19api.com responses, numbers in early (2020) ones. */
const coordinate = (limit: number) =>
  z
    .union([
      z.number(),
      z.string().regex(/^\s*-?\d+(\.\d+)?\s*$/, 'must be a number or a numeric string'),
    ])
    .transform(Number)
    .refine((value) => Math.abs(value) <= limit, `must be between -${limit} and ${limit}`);

const element = z.object({
  Country: z.string().min(1, 'must not be empty'),
  // Early responses lack CountryCode, City and CityCode.
  CountryCode: z.string().optional(),
  Province: z.string().default(''),
  City: z.string().default(''),
  CityCode: z.string().optional(),
  Lat: coordinate(90),
  Lon: coordinate(180),
  Cases: z.number().int('must be a whole number').min(0, 'must not be negative'),
  Status: z.string(),
  Date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T00:00:00(\.0+)?Z$/, 'must be an ISO date at midnight UTC'),
});

/** Cumulative cases of one country on one day. */
export interface DayCases {
  date: string;
  cases: number;
}

/**
 * Checks every element of a `/country/{slug}/status/{status}` response and reduces it to one
 * country-level value per day: the rows with empty Province and City when there are any,
 * otherwise the sum of the province rows (as the snapshot does for Australia and China).
 * The days must follow each other without gaps.
 */
export function parseCountryStatus(body: unknown, country: Country, status: Status): DayCases[] {
  const where = `${status} response for ${country.slug}`;
  if (!Array.isArray(body)) throw new LiveValidationError(`${where}: expected a JSON array`);
  if (body.length === 0) throw new LiveValidationError(`${where}: empty array`);
  const problems: string[] = [];
  const rows: Array<z.infer<typeof element>> = [];
  body.forEach((item: unknown, i) => {
    const result = element.safeParse(item);
    if (!result.success) {
      for (const issue of result.error.issues) {
        problems.push(
          `element ${i}, field ${issue.path.join('.') || '(element)'}: ${issue.message}`,
        );
      }
      return;
    }
    const row = result.data;
    if (row.Status.toLowerCase() !== status) {
      problems.push(`element ${i}, field Status: expected "${status}", got "${row.Status}"`);
    }
    if (row.CountryCode && country.code && row.CountryCode.toUpperCase() !== country.code) {
      problems.push(
        `element ${i}, field CountryCode: expected "${country.code}", got "${row.CountryCode}"`,
      );
    }
    if (toEpochDay(row.Date.slice(0, 10)) === undefined) {
      problems.push(`element ${i}, field Date: "${row.Date}" is not a real date`);
    }
    rows.push(row);
  });
  if (problems.length) {
    const shown = problems.slice(0, 5).join('; ');
    const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
    throw new LiveValidationError(`${where}: ${shown}${more}`);
  }

  const countryLevel = rows.filter((row) => row.Province === '' && row.City === '');
  const used = countryLevel.length ? countryLevel : rows.filter((row) => row.City === '');
  if (!used.length) throw new LiveValidationError(`${where}: no country or province-level element`);
  const byDate = new Map<string, number>();
  for (const row of used) {
    const date = row.Date.slice(0, 10);
    if (countryLevel.length && byDate.has(date)) {
      throw new LiveValidationError(`${where}: two country-level elements for ${date}`);
    }
    byDate.set(date, (byDate.get(date) ?? 0) + row.Cases);
  }
  const days = [...byDate.entries()]
    .map(([date, cases]) => ({ date, cases }))
    .sort((a, b) => a.date.localeCompare(b.date));
  const first = toEpochDay(days[0].date)!;
  days.forEach((day, i) => {
    if (toEpochDay(day.date) !== first + i) {
      throw new LiveValidationError(
        `${where}: no element for ${fromEpochDay(first + i)} (days must follow each other)`,
      );
    }
  });
  return days;
}
