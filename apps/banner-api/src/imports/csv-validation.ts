import { parse } from 'csv-parse/sync';
import { ImportKind } from './import.entity';

export interface RowError {
  line: number;
  field?: string;
  problem: string;
}

/** Validated rows in file order, every value as it will be stored. */
export type ImpressionRow = [bannerId: number, campaignId: number];
export type ClickRow = [clickId: string, bannerId: number, campaignId: number];
export type ConversionRow = [conversionId: string, clickId: string, revenue: string];

export type ParsedFile =
  | { kind: 'impressions'; rows: ImpressionRow[] }
  | { kind: 'clicks'; rows: ClickRow[] }
  | { kind: 'conversions'; rows: ConversionRow[] };

export const COLUMNS: Record<ImportKind, string[]> = {
  impressions: ['banner_id', 'campaign_id'],
  clicks: ['click_id', 'banner_id', 'campaign_id'],
  conversions: ['conversion_id', 'click_id', 'revenue'],
};

/** Errors listed in full up to this many; the total is always given. */
export const MAX_REPORTED_ERRORS = 100;

const INT32_ID = /^[0-9]{1,10}$/;
const BIG_ID = /^[0-9]{1,18}$/;
const REVENUE = /^[0-9]{1,8}(\.[0-9]{1,6})?$/;

export class CsvValidationError extends Error {
  constructor(
    readonly errors: RowError[],
    readonly total: number,
  ) {
    super(`${total} invalid row(s)`);
  }
}

/**
 * Parses and checks a whole file (header, then every row) before anything is stored. Throws
 * CsvValidationError listing each problem with its line number; the file is then rejected whole.
 */
export function validateCsv(kind: ImportKind, content: Buffer): ParsedFile {
  const errors: RowError[] = [];
  let total = 0;
  const report = (line: number, problem: string, field?: string) => {
    total += 1;
    if (errors.length < MAX_REPORTED_ERRORS)
      errors.push(field ? { line, field, problem } : { line, problem });
  };
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(content, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    throw new CsvValidationError(
      [{ line, problem: `not valid CSV: ${(error as Error).message}` }],
      1,
    );
  }
  const expected = COLUMNS[kind];
  if (records.length === 0)
    throw new CsvValidationError(
      [{ line: 1, problem: `empty file: expected the header ${expected.join(',')}` }],
      1,
    );
  const header = records[0].record.map((name) => name.toLowerCase());
  const positions = expected.map((name) => header.indexOf(name));
  if (positions.includes(-1) || header.length !== expected.length) {
    throw new CsvValidationError(
      [
        {
          line: records[0].info.lines,
          problem: `header must be ${expected.join(',')} for a ${kind} file (got ${header.join(',') || 'nothing'})`,
        },
      ],
      1,
    );
  }
  const seen = new Map<string, number>();
  /** Banner and campaign ids: 1..2^31-1 (PostgreSQL integer). */
  const int32 = (line: number, field: string, value: string): boolean => {
    if (INT32_ID.test(value) && Number(value) >= 1 && Number(value) <= 2_147_483_647) return true;
    report(
      line,
      `must be a whole number between 1 and 2147483647 (got "${value.slice(0, 40)}")`,
      field,
    );
    return false;
  };
  /** Click and conversion ids: up to 18 digits, always within PostgreSQL bigint. */
  const bigId = (line: number, field: string, value: string): boolean => {
    if (BIG_ID.test(value)) return true;
    report(
      line,
      `must be a whole number of at most 18 digits (got "${value.slice(0, 40)}")`,
      field,
    );
    return false;
  };
  const unique = (line: number, field: string, value: string): boolean => {
    const earlier = seen.get(value);
    if (earlier === undefined) {
      seen.set(value, line);
      return true;
    }
    report(line, `${value} already appears on line ${earlier}`, field);
    return false;
  };
  const rows: unknown[] = [];
  for (let i = 1; i < records.length; i++) {
    const { record, info } = records[i];
    const line = info.lines;
    if (record.length !== expected.length) {
      report(
        line,
        `expected ${expected.length} fields (${expected.join(',')}), got ${record.length}`,
      );
      continue;
    }
    const value = (name: string) => record[positions[expected.indexOf(name)]];
    if (kind === 'impressions') {
      const [banner, campaign] = [value('banner_id'), value('campaign_id')];
      const ok = [int32(line, 'banner_id', banner), int32(line, 'campaign_id', campaign)].every(
        Boolean,
      );
      if (ok) rows.push([Number(banner), Number(campaign)]);
    } else if (kind === 'clicks') {
      const [click, banner, campaign] = [
        value('click_id'),
        value('banner_id'),
        value('campaign_id'),
      ];
      const ok = [
        bigId(line, 'click_id', click),
        int32(line, 'banner_id', banner),
        int32(line, 'campaign_id', campaign),
      ].every(Boolean);
      if (ok && unique(line, 'click_id', BigInt(click).toString()))
        rows.push([BigInt(click).toString(), Number(banner), Number(campaign)]);
    } else {
      const [conversion, click, revenue] = [
        value('conversion_id'),
        value('click_id'),
        value('revenue'),
      ];
      let ok = [bigId(line, 'conversion_id', conversion), bigId(line, 'click_id', click)].every(
        Boolean,
      );
      if (!REVENUE.test(revenue)) {
        report(
          line,
          `must be a non-negative decimal with at most 8 digits before and 6 after the point (got "${revenue.slice(0, 40)}")`,
          'revenue',
        );
        ok = false;
      }
      if (ok && unique(line, 'conversion_id', BigInt(conversion).toString())) {
        rows.push([BigInt(conversion).toString(), BigInt(click).toString(), revenue]);
      }
    }
  }
  if (total > 0) throw new CsvValidationError(errors, total);
  return { kind, rows } as ParsedFile;
}
