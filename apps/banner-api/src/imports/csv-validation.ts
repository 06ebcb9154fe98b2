import { Readable } from 'node:stream';
import { Parser } from 'csv-parse';
import type { ImportKind } from './import.entity';

export interface RowError {
  line: number;
  field?: string;
  /** 1-based column of the field in the file. */
  column?: number;
  problem: string;
}

/** The problems of one file: a bounded sample and the total. */
export class FileProblems {
  readonly errors: RowError[] = [];
  total = 0;

  add(error: RowError): void {
    this.total += 1;
    if (this.errors.length < MAX_REPORTED_ERRORS) this.errors.push(error);
  }
}

export const COLUMNS: Record<ImportKind, string[]> = {
  impressions: ['banner_id', 'campaign_id'],
  clicks: ['click_id', 'banner_id', 'campaign_id'],
  conversions: ['conversion_id', 'click_id', 'revenue'],
};

/** Problems listed per file (a bounded sample, what a rejected import keeps); the total is always counted. */
export const MAX_REPORTED_ERRORS = 100;
/** A longer record is not a row of these files: parsing stops at once instead of buffering it. */
export const MAX_RECORD_BYTES = 4096;
/** Size of the COPY text chunks handed to PostgreSQL. */
const BATCH_CHARS = 64 * 1024;

const INT32_ID = /^[0-9]{1,10}$/;
const BIG_ID = /^[0-9]{1,18}$/;
const REVENUE = /^[0-9]{1,8}(\.[0-9]{1,6})?$/;

/**
 * A value as it may appear in an error message: at most 40 characters, control characters
 * (NUL included) written as `\uXXXX`, so a message can always be stored, logged and shown.
 */
export function printable(value: string, max = 40): string {
  const cut = value.length > max ? `${value.slice(0, max)}…` : value;
  return cut.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** What the parse of a file learnt besides its rows. */
export interface FileFacts {
  rows: number;
  /** Line of the last row when the file does not end with a line ending. */
  lastLineWithoutLineEnding?: number;
}

interface NumberedRecord {
  record: string[];
  /** Line of the file the record ends on. */
  line: number;
}

/** Records handed on together: one async iteration step per group, not per record. */
const RECORDS_PER_GROUP = 512;

/**
 * csv-parse yielding groups of records, each with its line. Its own `info` option copies the
 * parser's whole state into a new object per record: a third of an import's time went there and
 * to the garbage collector (README, "Imports"). The line is read from the same state as the
 * record is pushed.
 */
class NumberedParser extends Parser {
  private group: NumberedRecord[] = [];

  override push(record: string[] | null): boolean {
    if (record !== null) {
      this.group.push({ record, line: this.info.lines });
      if (this.group.length < RECORDS_PER_GROUP) return true;
    }
    const group = this.group;
    this.group = [];
    const more = group.length ? super.push(group) : true;
    return record === null ? super.push(null) : more;
  }
}

/**
 * Parses and checks one CSV file as a stream (memory bounded by MAX_RECORD_BYTES and one batch,
 * whatever the file size) and yields its valid rows as COPY text, each prefixed with `fileIndex`
 * (and the line for clicks and conversions, so later checks in SQL can name it). Problems go to
 * `problems`; once there is one, no more rows are yielded (the upload will be refused anyway), but
 * the rest of the file is still checked so the total is right. Checks needing the whole file
 * (repeated ids) are done in SQL on what was copied.
 */
export async function* copyText(
  source: AsyncIterable<Buffer>,
  kind: ImportKind,
  fileIndex: number,
  problems: FileProblems,
  facts: FileFacts,
): AsyncGenerator<string> {
  const expected = COLUMNS[kind];
  let lastByte = -1;
  async function* watched() {
    for await (const chunk of source) {
      if (chunk.length) lastByte = chunk[chunk.length - 1];
      yield chunk;
    }
  }
  const parser = new NumberedParser({
    bom: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true,
    max_record_size: MAX_RECORD_BYTES,
  });
  const groups = parser as AsyncIterable<NumberedRecord[]>;
  const input = Readable.from(watched());
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  let positions: number[] | undefined;
  let batch = '';
  let lastLine = 0;
  try {
    reading: for await (const group of groups) {
      for (const { record, line } of group) {
        lastLine = line;
        if (!positions) {
          positions = header(record, kind, line, problems);
          if (!positions) break reading;
          continue;
        }
        const row = checkRow(record, expected, positions, line, problems);
        if (row === undefined) continue;
        facts.rows += 1;
        if (problems.total) continue;
        batch += `${fileIndex},${kind === 'impressions' ? '' : `${line},`}${row}\n`;
      }
      if (batch.length >= BATCH_CHARS) {
        yield batch;
        batch = '';
      }
    }
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? lastLine + 1;
    const tooLong = (error as { code?: string }).code === 'CSV_MAX_RECORD_SIZE';
    problems.add({
      line,
      problem: tooLong
        ? `a record longer than ${MAX_RECORD_BYTES} bytes: not a ${kind} file (columns ${expected.join(',')})`
        : `not valid CSV: ${printable((error as Error).message, 200)}`,
    });
  } finally {
    input.destroy();
  }
  if (!positions && !problems.total)
    problems.add({ line: 1, problem: `empty file: expected the header ${expected.join(',')}` });
  if (batch && !problems.total) yield batch;
  if (lastByte !== -1 && lastByte !== 0x0a && lastByte !== 0x0d && !problems.total && facts.rows)
    facts.lastLineWithoutLineEnding = lastLine;
}

/** Column positions of the expected fields, or undefined after reporting a wrong header. */
function header(
  record: string[],
  kind: ImportKind,
  line: number,
  problems: FileProblems,
): number[] | undefined {
  const expected = COLUMNS[kind];
  const names = record.map((name) => name.toLowerCase());
  const positions = expected.map((name) => names.indexOf(name));
  if (!positions.includes(-1) && names.length === expected.length) return positions;
  problems.add({
    line,
    problem: `header must be ${expected.join(',')} for a ${kind} file (got ${printable(names.join(','), 80) || 'nothing'})`,
  });
  return undefined;
}

/** The row's values in `expected` order joined by commas, or undefined after reporting its problems. */
function checkRow(
  record: string[],
  expected: string[],
  positions: number[],
  line: number,
  problems: FileProblems,
): string | undefined {
  if (record.length !== expected.length) {
    problems.add({
      line,
      problem: `expected ${expected.length} fields (${expected.join(',')}), got ${record.length}`,
    });
    return undefined;
  }
  let ok = true;
  const values: string[] = [];
  for (let i = 0; i < expected.length; i++) {
    const field = expected[i];
    const column = positions[i] + 1;
    const value = record[positions[i]];
    const problem = fieldProblem(field, value);
    if (problem) {
      problems.add({ line, field, column, problem });
      ok = false;
    }
    values.push(value);
  }
  return ok ? values.join(',') : undefined;
}

function fieldProblem(field: string, value: string): string | undefined {
  if (value.includes('\u0000')) return `contains a NUL character (got "${printable(value)}")`;
  if (field === 'revenue') {
    return REVENUE.test(value)
      ? undefined
      : `must be a non-negative decimal with at most 8 digits before and 6 after the point (got "${printable(value)}")`;
  }
  const big = field === 'click_id' || field === 'conversion_id';
  if (big) {
    return BIG_ID.test(value)
      ? undefined
      : `must be a whole number of at most 18 digits (got "${printable(value)}")`;
  }
  return INT32_ID.test(value) && Number(value) >= 1 && Number(value) <= 2_147_483_647
    ? undefined
    : `must be a whole number between 1 and 2147483647 (got "${printable(value)}")`;
}
