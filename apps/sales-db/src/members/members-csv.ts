import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { SUCCESSFUL_APPLICATION_COLUMNS } from '@des/shared';

/** The pipeline's successful-output columns (issue 3). */
export const MEMBER_COLUMNS = SUCCESSFUL_APPLICATION_COLUMNS;

export interface MemberRecord {
  membershipId: string;
  firstName: string;
  lastName: string;
  email: string;
  /** ISO `YYYY-MM-DD`. */
  dateOfBirth: string;
  mobileNo: string;
  above18: boolean;
  sourceFile: string;
  sourceLine: number;
}

export interface RowProblem {
  file: string;
  line: number;
  field: string;
  problem: string;
}

export type ParsedRow = { ok: true; record: MemberRecord } | { ok: false; problems: RowProblem[] };

export class BadHeaderError extends Error {}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Streams a members CSV, validating each row and naming file, line and field of every problem. */
export async function* readMembersCsv(file: string): AsyncGenerator<ParsedRow> {
  const parser = createReadStream(file).pipe(
    parse({
      bom: true,
      trim: true,
      skip_empty_lines: true,
      info: true,
      columns: (header: string[]) => checkHeader(file, header),
    }),
  );
  for await (const { record, info } of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number };
  }>) {
    yield validate(record, file, info.lines);
  }
}

function checkHeader(file: string, header: string[]): string[] {
  const missing = MEMBER_COLUMNS.filter((column) => !header.includes(column));
  const unexpected = header.filter(
    (column) => !(MEMBER_COLUMNS as readonly string[]).includes(column),
  );
  if (missing.length || unexpected.length) {
    throw new BadHeaderError(
      `${file}:1: header must be ${MEMBER_COLUMNS.join(',')}` +
        (missing.length ? `; missing ${missing.join(', ')}` : '') +
        (unexpected.length ? `; unexpected ${unexpected.join(', ')}` : ''),
    );
  }
  return header;
}

export function validate(row: Record<string, string>, file: string, line: number): ParsedRow {
  const problems: RowProblem[] = [];
  const problem = (field: string, text: string) =>
    problems.push({ file, line, field, problem: text });
  const text = (field: string, max: number, required = true) => {
    const value = row[field] ?? '';
    if (!value && required) problem(field, 'is empty');
    else if (value.length > max) problem(field, `is longer than ${max} characters`);
    return value;
  };
  // The pipeline writes a one-word name as a last name with an empty first name.
  const firstName = text('first_name', 100, false);
  const lastName = text('last_name', 100);
  const membershipId = text('membership_id', 120);
  const email = text('email', 254);
  if (email && !EMAIL.test(email))
    problem('email', `is not an email address: ${JSON.stringify(email)}`);
  const dateOfBirth = isoDate(row.date_of_birth ?? '');
  if (!dateOfBirth)
    problem(
      'date_of_birth',
      `must be a real date as YYYYMMDD: ${JSON.stringify(row.date_of_birth)}`,
    );
  const mobileNo = row.mobile_no ?? '';
  if (!/^[0-9]{8}$/.test(mobileNo))
    problem('mobile_no', `must be 8 digits: ${JSON.stringify(mobileNo)}`);
  const above18 = /^(true|1|yes)$/i.test(row.above_18 ?? '');
  if (!above18)
    problem('above_18', `must be true for a successful applicant: ${JSON.stringify(row.above_18)}`);
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    record: {
      membershipId,
      firstName,
      lastName,
      email,
      dateOfBirth: dateOfBirth!,
      mobileNo,
      above18,
      sourceFile: file,
      sourceLine: line,
    },
  };
}

function isoDate(value: string): string | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (!match) return undefined;
  const [, y, m, d] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  const iso = `${y}-${m}-${d}`;
  return date.toISOString().slice(0, 10) === iso ? iso : undefined;
}
