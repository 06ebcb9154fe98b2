import { createReadStream, createWriteStream, WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import {
  AmbiguousSeparator,
  BirthdayEvidence,
  OrderDecision,
  readBirthday,
  resolveAmbiguous,
} from '../applications/birthday';
import {
  ApplicationRules,
  Birthday,
  FAILED_HEADER,
  RawApplication,
  SUCCESS_HEADER,
} from '../applications/application-rules';
import { CsvPartWriter } from './csv-part-writer';
import { RunRegistry } from './run-registry';

export const INPUT_COLUMNS = ['name', 'email', 'date_of_birth', 'mobile_no'] as const;

export interface FileCounts {
  read: number;
  successful: number;
  failed: number;
  duplicates: number;
  ambiguousDates: number;
  /** How each separator's ambiguous values were read in this file. */
  dateOrders: Record<AmbiguousSeparator, OrderDecision>;
}

export type FileOutcome =
  | { kind: 'accepted'; counts: FileCounts; successPart: string; failedPart: string }
  | { kind: 'rejected'; reason: string };

export interface BatchJob {
  path: string;
  /** Name written into failed rows' `source_file`. */
  fileName: string;
  fileIndex: number;
  successPart: string;
  failedPart: string;
  spillPath: string;
  rules: ApplicationRules;
  registry: RunRegistry;
  /** Called every few thousand rows with the rows and bytes read so far in this file. */
  onProgress?: (rows: number, bytes: number) => void;
}

const PROGRESS_EVERY = 5000;

/** The header problem, if any: exactly the four columns, in any order, case and spacing ignored. */
export function headerProblem(header: string[]): string | undefined {
  const names = header.map((column) => column.trim().toLowerCase());
  const missing = INPUT_COLUMNS.filter((column) => !names.includes(column));
  const unexpected = names.filter(
    (column, index) =>
      !(INPUT_COLUMNS as readonly string[]).includes(column) || names.indexOf(column) !== index,
  );
  if (missing.length === 0 && unexpected.length === 0) return undefined;
  const parts = [
    missing.length ? `missing ${missing.join(', ')}` : '',
    unexpected.length ? `unexpected ${unexpected.map((c) => `"${c}"`).join(', ')}` : '',
  ].filter(Boolean);
  return `wrong header at line 1: expected ${INPUT_COLUMNS.join(',')} (${parts.join('; ')})`;
}

/**
 * Streams one CSV file through the rules into this file's two part files. Values of the form
 * NN/NN/YYYY or NN-NN-YYYY that are valid under both field orders wait in a spill file until
 * the whole file's evidence is in; everything else is written as soon as it is read.
 */
export async function processBatchFile(job: BatchJob): Promise<FileOutcome> {
  const success = new CsvPartWriter(job.successPart, SUCCESS_HEADER);
  const failed = new CsvPartWriter(job.failedPart, FAILED_HEADER);
  let spill: WriteStream | undefined;
  const counts: Omit<FileCounts, 'dateOrders'> = {
    read: 0,
    successful: 0,
    failed: 0,
    duplicates: 0,
    ambiguousDates: 0,
  };
  const evidence = new BirthdayEvidence();
  const { rules, registry, fileIndex, fileName } = job;

  const writeFailed = async (
    raw: RawApplication,
    above18: string,
    reasons: string,
    line: number,
  ) => {
    counts.failed += 1;
    const row = [raw.name, raw.email, raw.dateOfBirth, raw.mobileNo, above18, reasons];
    if (!failed.write([...row, fileName, String(line)])) await failed.drained();
  };

  const emit = async (raw: RawApplication, birthday: Birthday, line: number) => {
    const result = rules.evaluate(raw, birthday);
    if (registry.isDuplicate(result.duplicateKey, fileIndex, line)) {
      counts.duplicates += 1;
    } else if (result.ok) {
      counts.successful += 1;
      registry.holdId(result.membershipId, result.person, fileIndex, line);
      if (!success.write(result.row)) await success.drained();
    } else {
      await writeFailed(raw, result.above18, result.reasons.join('; '), line);
    }
  };

  const source = createReadStream(job.path, { highWaterMark: 1 << 20 });
  const parser = parse({
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    // One runaway quote must not swallow the file into memory.
    max_record_size: 1 << 16,
    on_record: (record: string[], context) => {
      record.push(String(context.lines));
      return record;
    },
  });
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);

  try {
    let columns: number[] | undefined;
    for await (const record of parser as AsyncIterable<string[]>) {
      const line = Number(record.pop());
      if (!columns) {
        const problem = headerProblem(record);
        if (problem) return await reject(problem);
        const names = record.map((column) => column.trim().toLowerCase());
        columns = INPUT_COLUMNS.map((column) => names.indexOf(column));
        continue;
      }
      counts.read += 1;
      if (counts.read % PROGRESS_EVERY === 0) job.onProgress?.(counts.read, parser.info.bytes);
      const raw: RawApplication = {
        name: record[columns[0]] ?? '',
        email: record[columns[1]] ?? '',
        dateOfBirth: record[columns[2]] ?? '',
        mobileNo: record[columns[3]] ?? '',
      };
      if (record.length !== INPUT_COLUMNS.length) {
        // Values cannot be trusted to sit in their columns, so no rule is applied.
        if (registry.isDuplicate(`\u0002${record.join('\u0001')}`, fileIndex, line)) {
          counts.duplicates += 1;
        } else {
          const reason = `row: has ${record.length} fields, expected ${INPUT_COLUMNS.length}`;
          await writeFailed(raw, '', reason, line);
        }
        continue;
      }
      const reading = readBirthday(raw.dateOfBirth);
      evidence.add(reading);
      if (reading.kind === 'ambiguous') {
        counts.ambiguousDates += 1;
        spill ??= createWriteStream(job.spillPath);
        const json = JSON.stringify([line, raw.name, raw.email, raw.dateOfBirth, raw.mobileNo]);
        if (!spill.write(`${json}\n`)) await waitForDrain(spill);
        continue;
      }
      await emit(raw, reading.kind === 'date' ? { ymd: reading.ymd } : reading, line);
    }
    if (!columns) return await reject('empty file: no header row');

    const dateOrders = { '/': evidence.decide('/'), '-': evidence.decide('-') };
    if (spill) {
      spill.end();
      await finished(spill);
      const lines = createInterface({
        input: createReadStream(job.spillPath),
        crlfDelay: Infinity,
      });
      for await (const text of lines) {
        const [line, name, email, dateOfBirth, mobileNo] = JSON.parse(text) as [
          number,
          string,
          string,
          string,
          string,
        ];
        const reading = readBirthday(dateOfBirth);
        if (reading.kind !== 'ambiguous') throw new Error(`spill line ${line} is not ambiguous`);
        const birthday = resolveAmbiguous(reading, dateOrders[reading.separator]);
        await emit({ name, email, dateOfBirth, mobileNo }, birthday, line);
      }
      await rm(job.spillPath, { force: true });
    }
    await Promise.all([success.close(), failed.close()]);
    job.onProgress?.(counts.read, parser.info.bytes);
    return {
      kind: 'accepted',
      counts: { ...counts, dateOrders },
      successPart: job.successPart,
      failedPart: job.failedPart,
    };
  } catch (error) {
    if (error instanceof CsvError) {
      return await reject(`unreadable CSV at line ${parser.info.lines}: ${error.message}`);
    }
    await discard();
    throw error;
  }

  async function discard(): Promise<void> {
    source.destroy();
    parser.destroy();
    spill?.destroy();
    registry.discardFile(fileIndex);
    await Promise.all([success.discard(), failed.discard(), rm(job.spillPath, { force: true })]);
  }

  async function reject(reason: string): Promise<FileOutcome> {
    await discard();
    return { kind: 'rejected', reason };
  }
}

async function waitForDrain(stream: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    stream.once('error', onError);
    stream.once('drain', () => {
      stream.off('error', onError);
      resolve();
    });
  });
}
