import { rm } from 'node:fs/promises';
import {
  countReasons,
  FAILED_HEADER,
  FAILURE_REASONS,
  SUCCESS_HEADER,
} from '../applications/application-rules';
import { AmbiguousSeparator, OrderDecision } from '../applications/birthday';
import { readBatchBytes } from '../intake/text-encoding';
import { CsvFormatError, CsvTokenizer, RecordChunk } from './csv-tokenizer';
import { CsvPartWriter } from '../files/csv-part-writer';
import { EvaluationSummary, INPUT_COLUMNS, RowChunk } from './row-evaluator';
import { RowEvaluatorThread } from './row-evaluator-thread';
import { Admission, RunDuplicateDetector } from '../duplicates/run-duplicate-detector';

export interface FileCounts {
  read: number;
  successful: number;
  failed: number;
  duplicates: number;
  /** Successful applications an earlier run emitted: counted, not written. */
  alreadyEmitted: number;
  ambiguousDates: number;
  /** How each separator's ambiguous values were read in this file. */
  dateOrders: Record<AmbiguousSeparator, OrderDecision>;
  /** Failed rows written, per FAILURE_REASONS index (a row failing two rules counts twice). */
  failureReasons: Uint32Array;
}

export type FileOutcome =
  | {
      kind: 'accepted';
      counts: FileCounts;
      successPart: string;
      failedPart: string;
      /** The registry's index of the file's rows (a new one when the file was read again). */
      fileIndex: number;
    }
  | { kind: 'rejected'; reason: string };

export interface BatchJob {
  path: string;
  /** `.csv.gz`: read through gunzip. */
  gzip?: boolean;
  /** Name written into failed rows' `source_file`. */
  fileName: string;
  fileIndex: number;
  successPart: string;
  failedPart: string;
  spillPath: string;
  evaluator: RowEvaluatorThread;
  registry: RunDuplicateDetector;
  /** The sink the registry sends ids to: awaited when it falls behind. */
  ids: { readonly congested: boolean; drained(): Promise<void> };
  /** Share of a separator's unambiguous dates that must agree for their order to be taken. */
  orderShare?: number;
  /** Set when the file is read again with the orders its first read decided. */
  orders?: Record<AmbiguousSeparator, OrderDecision>;
  /** Called after each parsed chunk (about 1,000 rows) with the rows and bytes read so far. */
  onProgress?: (rows: number, bytes: number) => void;
}

type Counts = Pick<
  FileCounts,
  'successful' | 'failed' | 'duplicates' | 'alreadyEmitted' | 'failureReasons'
>;

/** Records chunks the rules thread may hold: enough to keep it busy, few enough to be small. */
const EVALUATING_CHUNKS = 3;

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
 * Streams one CSV file into this file's two part files. This thread reads the bytes into
 * chunks of records (CsvTokenizer: typed arrays, no string per field) and hands them to the
 * rules thread (transferred, not copied); the evaluated rows come back in order, are admitted
 * by the run's duplicate registry and written, and the ids of new successful rows go to the
 * run's id table. Rows an earlier row already holds are counted, not written; rows the
 * registry defers (its memory is full) are decided after the last file.
 */
export async function processBatchFile(job: BatchJob): Promise<FileOutcome> {
  const { evaluator } = job;
  const success = new CsvPartWriter(job.successPart, SUCCESS_HEADER);
  const failed = new CsvPartWriter(job.failedPart, FAILED_HEADER);
  const counts: Counts = {
    successful: 0,
    failed: 0,
    duplicates: 0,
    alreadyEmitted: 0,
    failureReasons: new Uint32Array(FAILURE_REASONS.length),
  };
  let read = 0;

  const source = readBatchBytes(job.path, job.gzip ?? false);
  // One runaway quote must not swallow the file into memory.
  const tokenizer = new CsvTokenizer(1 << 16);

  /** Takes the rules thread's next answer: rows to admit and write, or the file's summary. */
  const take = async () => {
    const answer = await evaluator.next();
    if (!('size' in answer)) return answer;
    admitChunk(answer, job, counts, success, failed);
    if (success.congested || failed.congested)
      await Promise.all([success.drained(), failed.drained()]);
    if (job.ids.congested) await job.ids.drained();
    return undefined;
  };

  let started = false;
  /** Starts the file on the rules thread once its header is read, or says why it is rejected. */
  const start = (header: string[]): string | undefined => {
    const rejection = headerProblem(header);
    if (rejection) return rejection;
    const names = header.map((column) => column.trim().toLowerCase());
    const columns = INPUT_COLUMNS.map((column) => names.indexOf(column));
    evaluator.startFile({
      fileName: job.fileName,
      columns,
      spillPath: job.spillPath,
      orderShare: job.orderShare,
      orders: job.orders,
    });
    started = true;
    return undefined;
  };
  try {
    for await (const chunk of recordChunks(source as AsyncIterable<Buffer>, tokenizer)) {
      if (!started && tokenizer.header) {
        const rejection = start(tokenizer.header);
        if (rejection) return await reject(rejection);
      }
      if (!chunk) continue;
      read += chunk.size;
      evaluator.evaluate(chunk);
      job.onProgress?.(read, tokenizer.bytesRead);
      while (evaluator.pending >= EVALUATING_CHUNKS) await take();
    }
    if (!started) return await reject('empty file: no header row');
    evaluator.endFile();
    let summary: EvaluationSummary | undefined;
    while (!summary) summary = await take();
    if (summary.readAgainWith) {
      started = false; // the rules thread is done with the file: nothing to abandon there
      await discard();
      const fileIndex = job.registry.addFile(job.fileName);
      return await processBatchFile({ ...job, fileIndex, orders: summary.readAgainWith });
    }
    await Promise.all([success.close(), failed.close()]);
    return {
      kind: 'accepted',
      counts: {
        ...counts,
        read,
        ambiguousDates: summary.ambiguousDates,
        dateOrders: summary.dateOrders,
      },
      successPart: job.successPart,
      failedPart: job.failedPart,
      fileIndex: job.fileIndex,
    };
  } catch (error) {
    if (error instanceof CsvFormatError) {
      return await reject(`unreadable CSV at line ${error.line}: ${error.message}`);
    }
    await discard();
    throw error;
  }

  async function discard(): Promise<void> {
    source.destroy();
    if (started) evaluator.abandon();
    job.registry.discardFile(job.fileIndex);
    await Promise.all([success.discard(), failed.discard(), rm(job.spillPath, { force: true })]);
  }

  async function reject(reason: string): Promise<FileOutcome> {
    await discard();
    return { kind: 'rejected', reason };
  }
}

/** The file's records, a chunk per read (undefined when the read ends no record). */
async function* recordChunks(
  source: AsyncIterable<Buffer>,
  tokenizer: CsvTokenizer,
): AsyncGenerator<RecordChunk | undefined> {
  for await (const bytes of source) yield tokenizer.push(bytes);
  yield tokenizer.end();
}

const utf8 = (bytes: Uint8Array, start: number, end: number) =>
  Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8');

/**
 * Admits a chunk's rows in order. Kept rows' lines are written as runs of the chunk's texts;
 * a row left out (duplicate or deferred) ends its text's run.
 */
function admitChunk(
  chunk: RowChunk,
  job: BatchJob,
  counts: Counts,
  success: CsvPartWriter,
  failed: CsvPartWriter,
): void {
  const { registry, fileIndex } = job;
  const { fingerprints, lines, ends, successBytes, failedBytes } = chunk;
  // Per text: where the current line starts, and where the run of kept lines started.
  let successStart = 0;
  let successRun = 0;
  let failedStart = 0;
  let failedRun = 0;
  let idIndex = 0;
  for (let row = 0; row < chunk.size; row++) {
    const line = lines[row];
    const admission = registry.admit(
      fingerprints[2 * row],
      fingerprints[2 * row + 1],
      fileIndex,
      line,
      chunk.successful[row] === 1,
    );
    if (chunk.successful[row] === 1) {
      const start = successStart;
      successStart = ends[row];
      const id = idIndex++;
      if (admission === Admission.New) {
        counts.successful += 1;
        registry.holdId(chunk.membershipIds[id], chunk.persons[id], fileIndex, line);
        continue;
      }
      success.addBytes(successBytes.subarray(successRun, start));
      successRun = successStart;
      if (admission === Admission.Duplicate) counts.duplicates += 1;
      else if (admission === Admission.AlreadyEmitted) counts.alreadyEmitted += 1;
      else {
        const text = utf8(successBytes, start, successStart);
        registry.defer(fileIndex, line, text, chunk.membershipIds[id], chunk.persons[id]);
      }
    } else {
      const start = failedStart;
      failedStart = ends[row];
      if (admission === Admission.New) {
        counts.failed += 1;
        countReasons(counts.failureReasons, chunk.reasonBits[row]);
        continue;
      }
      failed.addBytes(failedBytes.subarray(failedRun, start));
      failedRun = failedStart;
      if (admission === Admission.Duplicate) counts.duplicates += 1;
      else {
        const text = utf8(failedBytes, start, failedStart);
        registry.defer(fileIndex, line, text, undefined, undefined, chunk.reasonBits[row]);
      }
    }
  }
  success.addBytes(successBytes.subarray(successRun));
  failed.addBytes(failedBytes.subarray(failedRun));
}
