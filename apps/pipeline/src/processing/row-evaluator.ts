import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import {
  ApplicationRules,
  Birthday,
  Evaluation,
  RawApplication,
  ROW_FIELDS_BIT,
} from '../applications/application-rules';
import {
  AmbiguousSeparator,
  BirthdayEvidence,
  BirthdayReading,
  contradictionProblem,
  FieldOrder,
  OrderDecision,
  readBirthday,
  resolveAmbiguous,
} from '../applications/birthday';
import { csvField, csvLine } from '../files/csv-part-writer';
import { fingerprint } from '../duplicates/fingerprints';
import { lineChunks } from '../files/line-reader';
import { chunkText, RecordChunk } from './csv-tokenizer';

export const INPUT_COLUMNS = ['name', 'email', 'date_of_birth', 'mobile_no'] as const;

/** Joins the fields of the person holding a membership id. */
export const PERSON_SEPARATOR = '\u001f';

/**
 * Evaluated rows, ready to be admitted (duplicates) and written: typed arrays (transferred) and
 * the ids' strings. The output lines are UTF-8 bytes, written as they are: the run's thread
 * makes no string of them (they were most of its garbage).
 */
export interface RowChunk {
  size: number;
  /** Per row, the 64-bit fingerprint of its duplicate key: high half at 2i, low half at 2i + 1. */
  fingerprints: Uint32Array;
  lines: Uint32Array;
  /** Per row: 1 when successful, 0 when failed. */
  successful: Uint8Array;
  /** Per failed row: its FAILURE_REASONS bits (0 for a successful row). */
  reasonBits: Uint8Array;
  /** Per row: where its output line ends, in `successBytes` or `failedBytes` by its flag. */
  ends: Uint32Array;
  /** The successful rows' output lines (CSV, LF-terminated, UTF-8), in row order. */
  successBytes: Uint8Array;
  /** The failed rows' output lines, in row order. */
  failedBytes: Uint8Array;
  /** Per successful row, in row order: its membership id. */
  membershipIds: string[];
  /** Per successful row: who holds the id (first and last name, email, birthday). */
  persons: string[];
}

export interface EvaluatedFile {
  /** Name written into failed rows' `source_file`. */
  fileName: string;
  /** Where in each 4-field record the input columns are, in INPUT_COLUMNS order. */
  columns: number[];
  /** Where rows with ambiguous birthdays wait until the whole file's evidence is in. */
  spillPath: string;
  /** Share of a separator's unambiguous dates that must agree for their order to be taken. */
  orderShare?: number;
  /**
   * The date orders a first read of this file decided (it is being read again because rows
   * were written before the evidence turned against them): every row is decided at once.
   */
  orders?: Record<AmbiguousSeparator, OrderDecision>;
}

export interface EvaluationSummary {
  ambiguousDates: number;
  /** How each separator's ambiguous values were read in this file. */
  dateOrders: Record<AmbiguousSeparator, OrderDecision>;
  /**
   * Set when rows already sent agree with an order the whole file's evidence did not take
   * (the early rows misled): the file must be read again with these orders, its rows so far
   * thrown away. Rare: only the minority order is held back while a file is read.
   */
  readAgainWith?: Record<AmbiguousSeparator, OrderDecision>;
}

const SPILL_ROWS_PER_CHUNK = 4096;

/** A record with the wrong number of fields: no value can be trusted to be what it claims. */
const NOTHING_CLEANED = ['', '', '', ''] as const;

const otherOrder = (order: FieldOrder): FieldOrder =>
  order === 'month-first' ? 'day-first' : 'month-first';

/** UTF-16 units of lines collected before they are encoded: the string dies young. */
const ENCODE_UNITS = 8192;

/**
 * Lines encoded as UTF-8 a few dozen at a time (one native call for all of them, not one
 * Buffer.write per row) into a buffer of its own (it is transferred).
 */
class OutputBytes {
  private buffer: Buffer;
  private length = 0;
  private pending = '';
  /** Per pending line: its row, and where it ends in UTF-16 units of `pending`. */
  private readonly pendingRows: number[] = [];
  private readonly pendingEnds: number[] = [];

  /** `ends[row]` receives where each row's line ends in the bytes. */
  constructor(
    capacity: number,
    private readonly ends: Uint32Array,
  ) {
    // Not from Buffer's shared pool: the whole ArrayBuffer is handed to the run's thread.
    this.buffer = Buffer.allocUnsafeSlow(capacity);
  }

  add(row: number, line: string): void {
    this.pending += line;
    this.pendingRows.push(row);
    this.pendingEnds.push(this.pending.length);
    if (this.pending.length >= ENCODE_UNITS) this.encode();
  }

  bytes(): Uint8Array {
    this.encode();
    return this.buffer.subarray(0, this.length);
  }

  private encode(): void {
    const pending = this.pending;
    // A UTF-16 unit is at most 3 bytes of UTF-8.
    if (this.length + 3 * pending.length > this.buffer.length) {
      const bigger = Buffer.allocUnsafeSlow(2 * (this.length + 3 * pending.length));
      this.buffer.copy(bigger, 0, 0, this.length);
      this.buffer = bigger;
    }
    const written = this.buffer.write(pending, this.length);
    // Only text beyond ASCII makes bytes and UTF-16 units differ.
    const ascii = written === pending.length;
    let start = 0;
    let byteEnd = this.length;
    for (let line = 0; line < this.pendingRows.length; line++) {
      const end = this.pendingEnds[line];
      byteEnd = ascii ? this.length + end : byteEnd + Buffer.byteLength(pending.slice(start, end));
      this.ends[this.pendingRows[line]] = byteEnd;
      start = end;
    }
    this.length += written;
    this.pending = '';
    this.pendingRows.length = 0;
    this.pendingEnds.length = 0;
  }
}

/** Collects rows into a RowChunk of at most `capacity` rows. */
class RowChunkBuilder {
  private size = 0;
  private readonly fingerprints: Uint32Array;
  private readonly lines: Uint32Array;
  private readonly successful: Uint8Array;
  private readonly reasonBits: Uint8Array;
  private readonly ends: Uint32Array;
  private readonly success: OutputBytes;
  private readonly failed: OutputBytes;
  private readonly membershipIds: string[] = [];
  private readonly persons: string[] = [];

  constructor(capacity: number) {
    this.fingerprints = new Uint32Array(2 * capacity);
    this.lines = new Uint32Array(capacity);
    this.successful = new Uint8Array(capacity);
    this.reasonBits = new Uint8Array(capacity);
    this.ends = new Uint32Array(capacity);
    this.success = new OutputBytes(capacity * 64, this.ends);
    this.failed = new OutputBytes(capacity * 128, this.ends);
  }

  addSuccessful(key: Uint32Array, line: number, text: string, id: string, person: string): void {
    this.membershipIds.push(id);
    this.persons.push(person);
    this.successful[this.size] = 1;
    this.success.add(this.size, text);
    this.add(key, line);
  }

  addFailed(key: Uint32Array, line: number, text: string, reasonBits: number): void {
    this.reasonBits[this.size] = reasonBits;
    this.failed.add(this.size, text);
    this.add(key, line);
  }

  build(): RowChunk {
    return {
      size: this.size,
      fingerprints: this.fingerprints.subarray(0, 2 * this.size),
      lines: this.lines.subarray(0, this.size),
      successful: this.successful.subarray(0, this.size),
      reasonBits: this.reasonBits.subarray(0, this.size),
      successBytes: this.success.bytes(),
      failedBytes: this.failed.bytes(),
      ends: this.ends.subarray(0, this.size),
      membershipIds: this.membershipIds,
      persons: this.persons,
    };
  }

  private add(key: Uint32Array, line: number): void {
    this.fingerprints[2 * this.size] = key[0];
    this.fingerprints[2 * this.size + 1] = key[1];
    this.lines[this.size] = line;
    this.size += 1;
  }
}

/**
 * Applies the rules to one file's records: every row comes out evaluated, fingerprinted and
 * formatted as its output line; the run decides duplicates and writes. Values of the form
 * NN/NN/YYYY or NN-NN-YYYY valid under both field orders wait in a spill file until the whole
 * file's evidence is in (finish()), so they come out after all other rows.
 */
export class FileEvaluator {
  private readonly key = new Uint32Array(2);
  private readonly evidence: BirthdayEvidence;
  /** Per separator and order: unambiguous values already sent (they agreed with the leader). */
  private readonly sent: Record<AmbiguousSeparator, Record<FieldOrder, number>> = {
    '/': { 'month-first': 0, 'day-first': 0 },
    '-': { 'month-first': 0, 'day-first': 0 },
  };
  private readonly ambiguousBySeparator: Record<AmbiguousSeparator, number> = { '/': 0, '-': 0 };
  private readonly raw: RawApplication = { name: '', email: '', dateOfBirth: '', mobileNo: '' };
  private ambiguousDates = 0;
  private spill: number | undefined;
  private spillText = '';
  /** The file name as a CSV field of failed rows. */
  private readonly fileNameField: string;

  constructor(
    private readonly file: EvaluatedFile,
    private readonly rules: ApplicationRules,
  ) {
    this.evidence = new BirthdayEvidence(file.orderShare);
    this.fileNameField = csvField(file.fileName);
  }

  /** The chunk's rows, except those with ambiguous birthdays (they wait for finish()). */
  evaluate(records: RecordChunk): RowChunk {
    const rows = new RowChunkBuilder(records.size);
    const { fieldBounds, fieldCounts, lines, needsQuoting } = records;
    // One string per chunk; each field is a slice of it.
    const text = chunkText(records);
    const field = (index: number) => text.slice(fieldBounds[index], fieldBounds[index + 1]);
    const [name, email, dateOfBirth, mobileNo] = this.file.columns;
    // One object reused for every row: nothing keeps it past the row.
    const raw = this.raw;
    let start = 0;
    for (let r = 0; r < records.size; r++) {
      const count = fieldCounts[r];
      const line = lines[r];
      const plain = needsQuoting[r] === 0;
      // A short record's missing columns are empty: reading past its end would show the next
      // record's fields.
      raw.name = name < count ? field(start + name) : '';
      raw.email = email < count ? field(start + email) : '';
      raw.dateOfBirth = dateOfBirth < count ? field(start + dateOfBirth) : '';
      raw.mobileNo = mobileNo < count ? field(start + mobileNo) : '';
      if (count !== INPUT_COLUMNS.length) {
        // Values cannot be trusted to sit in their columns, so no rule is applied.
        const values = ['\u0002'];
        for (let f = start; f < start + count; f++) values.push(field(f));
        fingerprint(values, this.key);
        const reason = `row: has ${count} fields, expected ${INPUT_COLUMNS.length}`;
        const text = this.failedLine(raw, NOTHING_CLEANED, '', reason, line, plain);
        rows.addFailed(this.key, line, text, ROW_FIELDS_BIT);
      } else {
        const reading = readBirthday(raw.dateOfBirth);
        if (this.file.orders) {
          this.evidence.add(reading);
          if (reading.kind === 'ambiguous') {
            this.ambiguousDates += 1;
            this.ambiguousBySeparator[reading.separator] += 1;
          }
          const birthday = this.decided(reading, raw.dateOfBirth, this.file.orders);
          this.add(rows, raw, birthday, line, plain);
        } else if (reading.kind === 'ambiguous') {
          this.ambiguousDates += 1;
          this.ambiguousBySeparator[reading.separator] += 1;
          this.defer(raw, line, plain);
        } else if (reading.kind === 'date' && reading.evidence) {
          // A value of an order not outweighed so far goes out now (so a file whose evidence
          // agrees is written as it comes); one outweighed waits for the whole file's evidence,
          // which it may contradict. A file whose early rows misled is read again (finish()).
          const { separator, order } = reading.evidence;
          const leads = this.evidence.leads(separator, order);
          this.evidence.add(reading);
          if (leads) {
            this.sent[separator][order] += 1;
            this.add(rows, raw, { ymd: reading.ymd }, line, plain);
          } else {
            this.defer(raw, line, plain);
          }
        } else {
          const birthday = reading.kind === 'date' ? { ymd: reading.ymd } : reading;
          this.add(rows, raw, birthday, line, plain);
        }
      }
      start += count;
    }
    return rows.build();
  }

  /** After the file's last record: its ambiguous rows, read by the whole file's evidence. */
  async *finish(): AsyncGenerator<RowChunk, EvaluationSummary> {
    const decide = (separator: AmbiguousSeparator) =>
      this.evidence.decide(separator, this.ambiguousBySeparator[separator]);
    const dateOrders = this.file.orders ?? { '/': decide('/'), '-': decide('-') };
    const misled = (['/', '-'] as const).some((separator) => {
      const order = dateOrders[separator].order;
      return order !== undefined && this.sent[separator][otherOrder(order)] > 0;
    });
    if (misled) {
      this.discard();
      return { ambiguousDates: this.ambiguousDates, dateOrders, readAgainWith: dateOrders };
    }
    if (this.spill !== undefined || this.spillText) {
      this.flushSpill();
      closeSync(this.spill!);
      this.spill = undefined;
      let rows = new RowChunkBuilder(SPILL_ROWS_PER_CHUNK);
      let size = 0;
      for await (const lines of lineChunks(this.file.spillPath)) {
        for (const text of lines) {
          const [line, plain, name, email, dateOfBirth, mobileNo] = JSON.parse(text) as [
            number,
            boolean,
            string,
            string,
            string,
            string,
          ];
          const birthday = this.decided(readBirthday(dateOfBirth), dateOfBirth, dateOrders);
          this.add(rows, { name, email, dateOfBirth, mobileNo }, birthday, line, plain);
          if (++size === SPILL_ROWS_PER_CHUNK) {
            yield rows.build();
            rows = new RowChunkBuilder(SPILL_ROWS_PER_CHUNK);
            size = 0;
          }
        }
      }
      if (size > 0) yield rows.build();
      rmSync(this.file.spillPath, { force: true });
    }
    return { ambiguousDates: this.ambiguousDates, dateOrders };
  }

  /** Forgets the file (rejected, or the run failed): its spill file is removed. */
  discard(): void {
    if (this.spill !== undefined) closeSync(this.spill);
    this.spill = undefined;
    rmSync(this.file.spillPath, { force: true });
  }

  /** A birthday once the file's date orders are known. */
  private decided(
    reading: BirthdayReading,
    value: string,
    orders: Record<AmbiguousSeparator, OrderDecision>,
  ): Birthday {
    if (reading.kind === 'ambiguous') return resolveAmbiguous(reading, orders[reading.separator]);
    if (reading.kind === 'invalid') return reading;
    const decision = reading.evidence && orders[reading.evidence.separator];
    if (decision?.order !== undefined && decision.order !== reading.evidence!.order) {
      return { problem: contradictionProblem(value, reading.evidence!.separator, decision) };
    }
    return { ymd: reading.ymd };
  }

  /** `plain`: the record's fields need no quoting, nor does anything cut from them. */
  private add(
    rows: RowChunkBuilder,
    raw: RawApplication,
    birthday: Birthday,
    line: number,
    plain: boolean,
  ): void {
    const result: Evaluation = this.rules.evaluate(raw, birthday);
    fingerprint(result.duplicateKey, this.key);
    if (result.ok) {
      const person = result.person.join(PERSON_SEPARATOR);
      // Every value of a successful row is cut from the record's fields, or digits.
      const text = plain ? `${result.row.join(',')}\n` : csvLine(result.row);
      rows.addSuccessful(this.key, line, text, result.membershipId, person);
    } else {
      const reasons = result.reasons.join('; ');
      rows.addFailed(
        this.key,
        line,
        this.failedLine(raw, result.cleaned, result.above18, reasons, line, plain),
        result.reasonBits,
      );
    }
  }

  private failedLine(
    raw: RawApplication,
    cleaned: readonly string[],
    above18: string,
    reasons: string,
    line: number,
    plain: boolean,
  ): string {
    if (plain) {
      // Only the reasons (they quote values) and the file name can need quotes.
      return (
        `${raw.name},${raw.email},${raw.dateOfBirth},${raw.mobileNo},` +
        `${cleaned[0]},${cleaned[1]},${cleaned[2]},${cleaned[3]},${above18},` +
        `${csvField(reasons)},${this.fileNameField},${line}\n`
      );
    }
    return csvLine([
      raw.name,
      raw.email,
      raw.dateOfBirth,
      raw.mobileNo,
      cleaned[0],
      cleaned[1],
      cleaned[2],
      cleaned[3],
      above18,
      reasons,
      this.file.fileName,
      String(line),
    ]);
  }

  private defer(raw: RawApplication, line: number, plain: boolean): void {
    const { name, email, dateOfBirth, mobileNo } = raw;
    this.spillText += `${JSON.stringify([line, plain, name, email, dateOfBirth, mobileNo])}\n`;
    if (this.spillText.length > 1 << 16) this.flushSpill();
  }

  private flushSpill(): void {
    this.spill ??= openSync(this.file.spillPath, 'w');
    writeSync(this.spill, this.spillText);
    this.spillText = '';
  }
}
