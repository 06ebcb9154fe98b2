import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import {
  BUYING_VALUES,
  Buying,
  CarRow,
  CSV_COLUMNS,
  Feature,
  FEATURE_VALUES,
  FEATURES,
} from './attributes';

/** sha256 of the UCI distribution of car.data (shared/data/car-evaluation/README.md). */
export const CAR_DATA_SHA256 = 'b703a9ac69f11e64ce8c223c0a40de4d2e9d769f7fb20be5f8f2e8a619893d83';

export class CarDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CarDataError';
  }
}

export interface CarData {
  rows: CarRow[];
  sha256: string;
}

/**
 * Reads car.data, refusing a file whose checksum differs from the published one (a silently
 * edited copy would change every figure in the report), then checks every value by line and column.
 */
export function loadCarData(path: string, expectedSha256: string = CAR_DATA_SHA256): CarData {
  const bytes = readFileSync(path);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== expectedSha256) {
    throw new CarDataError(
      `${path}: sha256 is ${sha256}, expected ${expectedSha256} (the UCI car.data); restore the original file`,
    );
  }
  return { rows: parseCarRows(bytes.toString('utf8'), path), sha256 };
}

/** Parses car.data text (no header, seven comma-separated columns). */
export function parseCarRows(text: string, source = 'car.data'): CarRow[] {
  const records = parse(text, {
    skip_empty_lines: true,
    trim: true,
    info: true,
    relax_column_count: true,
  }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  const problems: string[] = [];
  const rows: CarRow[] = [];
  for (const { record, info } of records) {
    const where = `${source}:${info.lines}`;
    if (record.length !== CSV_COLUMNS.length) {
      problems.push(`${where}: expected ${CSV_COLUMNS.length} columns, got ${record.length}`);
      continue;
    }
    const [buying, ...rest] = record;
    let ok = true;
    if (!(BUYING_VALUES as readonly string[]).includes(buying)) {
      problems.push(`${where}: buying: "${buying}" is not one of ${BUYING_VALUES.join(', ')}`);
      ok = false;
    }
    const features = {} as Record<Feature, string>;
    FEATURES.forEach((feature, i) => {
      const value = rest[i];
      if (!(FEATURE_VALUES[feature] as readonly string[]).includes(value)) {
        problems.push(
          `${where}: ${feature}: "${value}" is not one of ${FEATURE_VALUES[feature].join(', ')}`,
        );
        ok = false;
      }
      features[feature] = value;
    });
    if (ok) rows.push({ buying: buying as Buying, features });
  }
  if (problems.length) {
    const shown = problems.slice(0, 20).join('\n  ');
    const more = problems.length > 20 ? `\n  … and ${problems.length - 20} more` : '';
    throw new CarDataError(`Invalid car data:\n  ${shown}${more}`);
  }
  return rows;
}
