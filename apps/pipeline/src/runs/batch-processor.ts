import { once } from 'node:events';
import { createReadStream, createWriteStream, WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { CsvError } from 'csv-parse';
import { BatchingParser } from './batching-parser';
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
import { lineBatches } from './line-reader';
import { Admission, RunRegistry } from './run-registry';

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
  /** The sink the registry sends ids to: awaited when it falls behind. */
  ids: { readonly congested: boolean; drained(): Promise<void> };
  /** Called every few thousand rows with the rows and bytes read so far in this file. */
  onProgress?: (rows: number, bytes: number) => void;
}

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
 * Streams one CSV file through the rules into this file's two part files. Records are taken
 * from the parser synchronously, a buffer at a time (no promise per row). Values of the form
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
  const failedRow = (raw: RawApplication, above18: string, reasons: string, line: number) => [
    raw.name,
    raw.email,
    raw.dateOfBirth,
    raw.mobileNo,
    above18,
    reasons,
    fileName,
    String(line),
  ];

  /** A kept row goes to its part now, or, deferred by the registry, is decided after the last file. */
  const keep = (admission: Admission, ok: boolean, row: string[], line: number) => {
    if (admission === Admission.Deferred) registry.defer(fileIndex, line, ok, row);
    else if (ok) {
      counts.successful += 1;
      success.add(row);
    } else {
      counts.failed += 1;
      failed.add(row);
    }
  };

  const emit = (raw: RawApplication, birthday: Birthday, line: number) => {
    const result = rules.evaluate(raw, birthday);
    const admission = registry.admit(result.duplicateKey, fileIndex, line);
    if (admission === Admission.Duplicate) {
      counts.duplicates += 1;
    } else if (result.ok) {
      // A deferred row's id is held when the registry decides it.
      if (admission === Admission.New) {
        registry.holdId(result.membershipId, result.person, fileIndex, line);
      }
      keep(admission, true, result.row, line);
    } else {
      keep(admission, false, failedRow(raw, result.above18, result.reasons.join('; '), line), line);
    }
  };

  let columns: number[] | undefined;
  const raw: RawApplication = { name: '', email: '', dateOfBirth: '', mobileNo: '' };
  let rejection: string | undefined;
  let spillText = '';

  /** Handles one record; returns false when the file is rejected. */
  const handle = (record: string[]): boolean => {
    const line = record.pop() as unknown as number;
    if (!columns) {
      rejection = headerProblem(record);
      if (rejection) return false;
      const names = record.map((column) => column.trim().toLowerCase());
      columns = INPUT_COLUMNS.map((column) => names.indexOf(column));
      return true;
    }
    counts.read += 1;
    // One object reused for every row: nothing keeps it past this call.
    raw.name = record[columns[0]] ?? '';
    raw.email = record[columns[1]] ?? '';
    raw.dateOfBirth = record[columns[2]] ?? '';
    raw.mobileNo = record[columns[3]] ?? '';
    if (record.length !== INPUT_COLUMNS.length) {
      // Values cannot be trusted to sit in their columns, so no rule is applied.
      const admission = registry.admit(['\u0002', ...record], fileIndex, line);
      if (admission === Admission.Duplicate) {
        counts.duplicates += 1;
      } else {
        const reason = `row: has ${record.length} fields, expected ${INPUT_COLUMNS.length}`;
        keep(admission, false, failedRow(raw, '', reason, line), line);
      }
      return true;
    }
    const reading = readBirthday(raw.dateOfBirth);
    evidence.add(reading);
    if (reading.kind === 'ambiguous') {
      counts.ambiguousDates += 1;
      spillText += `${JSON.stringify([line, raw.name, raw.email, raw.dateOfBirth, raw.mobileNo])}\n`;
      if (spillText.length > 1 << 16) {
        spill ??= createWriteStream(job.spillPath);
        spill.write(spillText);
        spillText = '';
      }
      return true;
    }
    emit(raw, reading.kind === 'date' ? { ymd: reading.ymd } : reading, line);
    return true;
  };

  const source = createReadStream(job.path, { highWaterMark: 1 << 16 });
  const parser = new BatchingParser({
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    // One runaway quote must not swallow the file into memory.
    max_record_size: 1 << 16,
  });
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);

  try {
    batches: for await (const batch of parser as AsyncIterable<string[][]>) {
      for (const record of batch) {
        if (!handle(record)) break batches;
      }
      job.onProgress?.(counts.read, parser.info.bytes);
      if (success.congested || failed.congested)
        await Promise.all([success.drained(), failed.drained()]);
      if (spill?.writableNeedDrain) await once(spill, 'drain');
      if (job.ids.congested) await job.ids.drained();
    }
    if (rejection) return await reject(rejection);
    if (!columns) return await reject('empty file: no header row');

    const dateOrders = { '/': evidence.decide('/'), '-': evidence.decide('-') };
    if (spill || spillText) {
      spill ??= createWriteStream(job.spillPath);
      spill.end(spillText);
      spillText = '';
      await finished(spill);
      for await (const batch of lineBatches(job.spillPath)) {
        for (const text of batch) {
          const [line, name, email, dateOfBirth, mobileNo] = JSON.parse(text) as [
            number,
            string,
            string,
            string,
            string,
          ];
          const reading = readBirthday(dateOfBirth);
          if (reading.kind !== 'ambiguous') throw new Error(`spill line ${line} is not ambiguous`);
          emit(
            { name, email, dateOfBirth, mobileNo },
            resolveAmbiguous(reading, dateOrders[reading.separator]),
            line,
          );
        }
        if (success.congested || failed.congested)
          await Promise.all([success.drained(), failed.drained()]);
        if (job.ids.congested) await job.ids.drained();
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
