import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Injectable } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { COUNTRIES } from '../countries/countries';
import { toEpochDay } from '../series/dates';
import { ObservationPoint } from '../series/series-index';

export interface Snapshot {
  path: string;
  checksum: string;
  points: ObservationPoint[];
}

/** Thrown when the snapshot file is malformed; the message names file, line and field. */
export class SnapshotError extends Error {
  override name = 'SnapshotError';
}

const HEADER = ['country', 'date', 'confirmed', 'deaths'];
const COUNT = /^\d+$/;
const KNOWN = new Set(COUNTRIES.map((country) => country.name));

/** Reads and checks the shipped JHU snapshot (`country,date,confirmed,deaths`, cumulative counts). */
@Injectable()
export class SnapshotRepository {
  async read(path: string): Promise<Snapshot> {
    const bytes = await readFile(path);
    const records = parse(bytes, { info: true, skip_empty_lines: true }) as unknown as Array<{
      record: string[];
      info: { lines: number };
    }>;
    const [header, ...rows] = records;
    if (!header || header.record.join(',') !== HEADER.join(',')) {
      throw new SnapshotError(
        `${path} line 1: header must be ${HEADER.join(',')}, found ${header?.record.join(',') ?? 'nothing'}`,
      );
    }
    const points = rows.map(({ record, info }) => toPoint(record, `${path} line ${info.lines}`));
    points.sort((a, b) =>
      a.country === b.country ? a.date.localeCompare(b.date) : a.country.localeCompare(b.country),
    );
    return { path, checksum: createHash('sha256').update(bytes).digest('hex'), points };
  }
}

function toPoint(record: string[], where: string): ObservationPoint {
  if (record.length !== HEADER.length) {
    throw new SnapshotError(`${where}: expected ${HEADER.length} fields, found ${record.length}`);
  }
  const [country, date, confirmed, deaths] = record;
  if (!KNOWN.has(country)) {
    throw new SnapshotError(`${where}, field country: unknown country ${JSON.stringify(country)}`);
  }
  if (toEpochDay(date) === undefined) {
    throw new SnapshotError(
      `${where}, field date: ${JSON.stringify(date)} is not a YYYY-MM-DD date`,
    );
  }
  for (const [field, value] of [
    ['confirmed', confirmed],
    ['deaths', deaths],
  ] as const) {
    if (!COUNT.test(value) || !Number.isSafeInteger(Number(value)) || Number(value) > 2 ** 31 - 1) {
      throw new SnapshotError(
        `${where}, field ${field}: ${JSON.stringify(value)} is not a whole number of cases`,
      );
    }
  }
  return { country, date, confirmed: Number(confirmed), deaths: Number(deaths) };
}
