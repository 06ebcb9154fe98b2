import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import {
  CODES_MISSING_FROM_LOOKUP,
  Country,
  NOT_COUNTRIES,
  slugOf,
} from '../countries/country-catalog';
import { fromEpochDay, toEpochDay } from '../series/dates';
import { ObservationPoint, Status, STATUSES } from '../series/series-index';

/** The files of the snapshot folder, unmodified from JHU CSSE (see data/SOURCE.md). */
export const SNAPSHOT_FILES = {
  confirmed: 'time_series_covid19_confirmed_global.csv',
  deaths: 'time_series_covid19_deaths_global.csv',
  lookup: 'UID_ISO_FIPS_LookUp_Table.csv',
} as const;

export interface Snapshot {
  dir: string;
  /** sha256 over the three files, so an unchanged snapshot is not loaded twice. */
  checksum: string;
  countries: Country[];
  /** Country-level cumulative counts, by country then date. */
  points: ObservationPoint[];
}

/** Thrown when a snapshot file is malformed; the message names file, line and field. */
export class SnapshotError extends Error {
  override name = 'SnapshotError';
}

const SERIES_HEADER = ['Province/State', 'Country/Region', 'Lat', 'Long'];
const LOOKUP_COLUMNS = ['iso2', 'Admin2', 'Province_State', 'Country_Region', 'Lat', 'Long_'];
const COUNT = /^\d+$/;
const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{2})$/;

interface Line {
  record: string[];
  info: { lines: number };
}

/** One Country/Region of a wide series file: its country-level row, or the sum of its rows. */
interface WideCountry {
  countryRow: number[] | null;
  provinceSum: number[];
  lat: string;
  lon: string;
}

/**
 * Reads and checks the full JHU CSSE global files: one row per Country/Region (and province),
 * one column per day. The country-level value is the row without a Province/State where one
 * exists, else the sum of the country's rows (Australia, Canada, China).
 */
@Injectable()
export class SnapshotRepository {
  /** sha256 over the three files: cheap, so a restart can skip parsing a loaded snapshot. */
  async checksum(dir: string): Promise<string> {
    return (await readFiles(dir)).checksum;
  }

  async read(dir: string): Promise<Snapshot> {
    const { checksum, bytes } = await readFiles(dir);
    const wide = Object.fromEntries(
      STATUSES.map((status) => [
        status,
        readWide(join(dir, SNAPSHOT_FILES[status]), bytes[status]),
      ]),
    ) as Record<Status, { dates: string[]; countries: Map<string, WideCountry> }>;
    const { confirmed, deaths } = wide;
    const deathsPath = join(dir, SNAPSHOT_FILES.deaths);
    if (deaths.dates.join() !== confirmed.dates.join()) {
      throw new SnapshotError(`${deathsPath} line 1: its dates differ from the confirmed file's`);
    }
    const names = [...confirmed.countries.keys()];
    const missing = names.find((name) => !deaths.countries.has(name));
    if (missing || deaths.countries.size !== names.length) {
      throw new SnapshotError(
        `${deathsPath}: its Country/Region values differ from the confirmed file's (first: ${JSON.stringify(missing ?? [...deaths.countries.keys()].find((n) => !confirmed.countries.has(n)))})`,
      );
    }
    const lookup = readLookup(join(dir, SNAPSHOT_FILES.lookup), bytes.lookup);
    const countries = names
      .sort((a, b) => a.localeCompare(b, 'en'))
      .map((name) => toCountry(name, confirmed.countries.get(name)!, lookup.get(name)));
    const points: ObservationPoint[] = [];
    for (const { name } of countries) {
      const cumulative = (status: Status) => {
        const entry = wide[status].countries.get(name)!;
        return entry.countryRow ?? entry.provinceSum;
      };
      const [cases, dead] = [cumulative('confirmed'), cumulative('deaths')];
      confirmed.dates.forEach((date, i) =>
        points.push({ country: name, date, confirmed: cases[i], deaths: dead[i] }),
      );
    }
    return { dir, checksum, countries, points };
  }
}

async function readFiles(
  dir: string,
): Promise<{ checksum: string; bytes: Record<keyof typeof SNAPSHOT_FILES, Buffer> }> {
  const hash = createHash('sha256');
  const bytes = {} as Record<keyof typeof SNAPSHOT_FILES, Buffer>;
  for (const [key, file] of Object.entries(SNAPSHOT_FILES)) {
    const path = join(dir, file);
    bytes[key as keyof typeof SNAPSHOT_FILES] = await readFile(path).catch((error: Error) => {
      throw new SnapshotError(`${path}: cannot read the snapshot file (${error.message})`);
    });
    hash.update(file).update(bytes[key as keyof typeof SNAPSHOT_FILES]);
  }
  return { checksum: hash.digest('hex'), bytes };
}

function records(path: string, bytes: Buffer): Line[] {
  try {
    return parse(bytes, { info: true, skip_empty_lines: true, bom: true }) as unknown as Line[];
  } catch (error) {
    throw new SnapshotError(`${path}: not valid CSV (${(error as Error).message})`);
  }
}

function readWide(
  path: string,
  bytes: Buffer,
): { dates: string[]; countries: Map<string, WideCountry> } {
  const [header, ...rows] = records(path, bytes);
  const found = header?.record.slice(0, SERIES_HEADER.length).join(',') ?? 'nothing';
  if (found !== SERIES_HEADER.join(',')) {
    throw new SnapshotError(
      `${path} line 1: header must start with ${SERIES_HEADER.join(',')}, found ${found}`,
    );
  }
  const dates = header.record.slice(SERIES_HEADER.length).map((text, i) => {
    const date = isoOfUsDate(text);
    const column = SERIES_HEADER.length + i + 1;
    if (!date) throw new SnapshotError(`${path} line 1, column ${column}: "${text}" is not M/D/YY`);
    if (i > 0 && toEpochDay(date) !== toEpochDay(isoOfUsDate(header.record[column - 2])!)! + 1) {
      throw new SnapshotError(
        `${path} line 1, column ${column}: ${text} does not follow the day before`,
      );
    }
    return date;
  });
  if (!dates.length) throw new SnapshotError(`${path} line 1: no date columns`);
  const countries = new Map<string, WideCountry>();
  for (const { record, info } of rows) {
    const where = `${path} line ${info.lines}`;
    if (record.length !== header.record.length) {
      throw new SnapshotError(
        `${where}: expected ${header.record.length} fields, found ${record.length}`,
      );
    }
    const [province, name, lat, lon] = record;
    if (!name.trim()) throw new SnapshotError(`${where}, field Country/Region: empty`);
    const counts = record.slice(SERIES_HEADER.length).map((value, i) => {
      if (!COUNT.test(value) || Number(value) > 2 ** 31 - 1) {
        throw new SnapshotError(
          `${where}, field ${header.record[SERIES_HEADER.length + i]}: ${JSON.stringify(value)} is not a whole number of cases`,
        );
      }
      return Number(value);
    });
    const entry = countries.get(name) ?? {
      countryRow: null,
      provinceSum: dates.map(() => 0),
      lat,
      lon,
    };
    if (province === '') {
      if (entry.countryRow) throw new SnapshotError(`${where}: a second row for ${name}`);
      Object.assign(entry, { countryRow: counts, lat, lon });
    }
    counts.forEach((count, i) => (entry.provinceSum[i] += count));
    countries.set(name, entry);
  }
  return { dates, countries };
}

/** The lookup table's country rows (no Province_State, no Admin2) by Country_Region. */
function readLookup(path: string, bytes: Buffer): Map<string, Record<string, string>> {
  const [header, ...rows] = records(path, bytes);
  const columns = header?.record ?? [];
  for (const column of [...LOOKUP_COLUMNS, 'Population']) {
    if (!columns.includes(column)) {
      throw new SnapshotError(`${path} line 1: column ${column} is missing`);
    }
  }
  const byName = new Map<string, Record<string, string>>();
  for (const { record, info } of rows) {
    const row = Object.fromEntries(columns.map((column, i) => [column, record[i] ?? '']));
    if (row.Province_State || row.Admin2) continue;
    if (row.Population && !COUNT.test(row.Population)) {
      throw new SnapshotError(
        `${path} line ${info.lines}, field Population: ${JSON.stringify(row.Population)} is not a whole number`,
      );
    }
    byName.set(row.Country_Region, row);
  }
  return byName;
}

function toCountry(
  name: string,
  series: WideCountry,
  lookup: Record<string, string> | undefined,
): Country {
  const code = lookup?.iso2 || CODES_MISSING_FROM_LOOKUP[name] || null;
  const slug = slugOf(name);
  const population = Number(lookup?.Population);
  return {
    name,
    id: code ?? slug,
    code,
    slug,
    kind: NOT_COUNTRIES.has(name) ? 'other' : 'country',
    population: population > 0 ? population : null,
    lat: coordinate(lookup?.Lat || series.lat),
    lon: coordinate(lookup?.Long_ || series.lon),
  };
}

/** `1.2833` → `1.28`; an empty or unreadable coordinate becomes `0`. */
function coordinate(text: string): string {
  const value = Number(text);
  return String(Number.isFinite(value) ? Math.round(value * 100) / 100 : 0);
}

/** `3/9/23` → `2023-03-09`, or undefined when it is not a real date. */
function isoOfUsDate(text: string): string | undefined {
  const match = US_DATE.exec(text);
  if (!match) return undefined;
  const iso = `20${match[3]}-${match[1].padStart(2, '0')}-${match[2].padStart(2, '0')}`;
  const day = toEpochDay(iso);
  return day === undefined ? undefined : fromEpochDay(day);
}
