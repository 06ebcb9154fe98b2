/**
 * Records of one file, as the run's thread hands them to the rules thread: the fields' text as
 * UTF-8 bytes (quotes removed, doubled quotes undone) and typed arrays of where each field ends,
 * so a chunk crosses the thread boundary as transferred buffers, with no string per field.
 */
export interface RecordChunk {
  size: number;
  /** The chunk's fields one after the other, without separators (UTF-8). */
  bytes: Uint8Array;
  /**
   * Field f is the decoded text's UTF-16 units `fieldBounds[f]` to `fieldBounds[f + 1]`
   * (units, not bytes: the rules thread decodes the chunk once and slices the string).
   */
  fieldBounds: Uint32Array;
  /** Per record: how many fields it has. */
  fieldCounts: Uint32Array;
  /** Per record: its line in the file (csv-parse's count, see CsvTokenizer). */
  lines: Uint32Array;
  /**
   * Per record: 1 when a field holds a quote, comma, CR or LF (it must be quoted when written
   * back), 0 when every field can be written as is, and so can any part of it.
   */
  needsQuoting: Uint8Array;
}

/** The fields of each record of a chunk, as strings. */
export function chunkRecords(chunk: RecordChunk): string[][] {
  const text = chunkText(chunk);
  const records: string[][] = [];
  let field = 0;
  for (let r = 0; r < chunk.size; r++) {
    const record: string[] = [];
    for (let end = field + chunk.fieldCounts[r]; field < end; field++) {
      record.push(text.slice(chunk.fieldBounds[field], chunk.fieldBounds[field + 1]));
    }
    records.push(record);
  }
  return records;
}

/** A chunk's fields as one string: fieldBounds index into it. */
export function chunkText(chunk: RecordChunk): string {
  const { buffer, byteOffset, byteLength } = chunk.bytes;
  return Buffer.from(buffer, byteOffset, byteLength).toString('utf8');
}

/** The CSV cannot be read; `line` as csv-parse would report it. */
export class CsvFormatError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;

/** How records end: found at the first line break outside quotes, as csv-parse does. */
const enum RecordEnd {
  Unknown,
  Lf,
  CrLf,
  Cr,
}

/** A record cut off by the end of the bytes so far: scanned again once more bytes arrive. */
const INCOMPLETE = -1;

/**
 * A byte-level RFC 4180 reader for the run's hot path, reading exactly what csv-parse read with
 * `{ bom, relax_column_count, skip_empty_lines, max_record_size }`: a UTF-8 BOM is skipped;
 * records end as the first line break outside quotes does (CRLF, LF or CR); a field starting
 * with a quote is quoted (commas, line breaks and doubled quotes inside it are text); a quote
 * inside an unquoted field, anything but a comma or line end after a closing quote, an
 * unclosed quote at the end and a record over `maxRecordBytes` are errors; empty lines are
 * skipped; records may have any number of fields. Line numbers count line breaks the way
 * csv-parse's `info.lines` does (a CRLF ending a record is one, a CRLF inside quotes two).
 *
 * Hand-written because csv-parse built a string per field and a context per record on the
 * run's thread (about 2 s of a 1M-row run, and most of its garbage), and its records then
 * crossed to the rules thread by structured clone; this reader copies the bytes once into a
 * chunk of typed arrays that is transferred. The input must be UTF-8 (the run checks every file
 * before reading it).
 */
export class CsvTokenizer {
  private pending: Uint8Array = new Uint8Array(0);
  private recordEnd = RecordEnd.Unknown;
  private started = false;
  /** csv-parse's line of the next byte to read: 1 + line breaks before it. */
  private line = 1;
  private consumed = 0;
  /** The file's first record, once read (it is not part of any chunk). */
  header: string[] | undefined;

  // Scratch space for one chunk, grown as needed and reused.
  private out = new Uint8Array(1 << 16);
  private bounds = new Uint32Array(1 << 14);
  private counts = new Uint32Array(1 << 12);
  private lineOf = new Uint32Array(1 << 12);
  private quoting = new Uint8Array(1 << 12);
  private outLength = 0;
  private outUnits = 0;
  private fieldCount = 0;
  private recordCount = 0;

  constructor(private readonly maxRecordBytes = 1 << 16) {}

  /** Bytes of the input consumed so far (complete records and skipped lines). */
  get bytesRead(): number {
    return this.consumed;
  }

  /** The complete records these bytes end, if any; a cut-off record waits for the next bytes. */
  push(bytes: Uint8Array): RecordChunk | undefined {
    return this.scan(this.pending.length ? concat(this.pending, bytes) : bytes, false);
  }

  /** At the end of the input: its last records (the last one needs no line ending). */
  end(): RecordChunk | undefined {
    return this.scan(this.pending, true);
  }

  private scan(data: Uint8Array, final: boolean): RecordChunk | undefined {
    let pos = 0;
    if (!this.started) {
      if (data.length < 3 && !final) {
        this.pending = data.slice();
        return undefined;
      }
      this.started = true;
      if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) {
        pos = 3;
        this.consumed += 3;
      }
    }
    this.outLength = 0;
    this.outUnits = 0;
    this.fieldCount = 0;
    this.recordCount = 0;
    this.bounds[0] = 0;
    while (pos < data.length) {
      const next = this.record(data, pos, final);
      if (next === INCOMPLETE) break;
      this.consumed += next - pos;
      pos = next;
    }
    if (pos < data.length) {
      if (final) {
        // Only a quoted field can be left open at the end: its line breaks count, but for a last one
        // (csv-parse counts a break when it reads the byte after it).
        let line = this.line;
        for (let at = pos; at < data.length - 1; at++) {
          if (data[at] === CR || data[at] === LF) line += 1;
        }
        throw new CsvFormatError(
          `Quote Not Closed: the parsing is finished with an opening quote at line ${line}`,
          line,
        );
      }
      this.pending = data.slice(pos);
    } else {
      this.pending = new Uint8Array(0);
    }
    return this.recordCount > 0 ? this.take() : undefined;
  }

  /**
   * Reads the record at `pos` into the scratch chunk (or skips an empty line); returns where
   * the next one starts, or INCOMPLETE (nothing kept) when the bytes end before it does.
   */
  private record(data: Uint8Array, pos: number, final: boolean): number {
    const startLine = this.line;
    const startLength = this.outLength;
    const startUnits = this.outUnits;
    const startFields = this.fieldCount;
    let line = this.line;
    let fields = 0;
    let needsQuoting = 0;
    let at = pos;
    const length = data.length;
    // An empty line is skipped.
    const firstEnd = this.lineEndAt(data, at, final);
    if (firstEnd === INCOMPLETE) return INCOMPLETE;
    if (firstEnd > 0) {
      this.line += 1;
      return at + firstEnd;
    }
    for (;;) {
      // One field from `at`.
      this.ensureField();
      const fieldStart = this.outLength;
      if (data[at] === QUOTE) {
        at += 1;
        for (;;) {
          if (at >= length) return this.rewind(startLine, startLength, startUnits, startFields);
          const byte = data[at];
          if (byte === QUOTE) {
            if (at + 1 >= length && !final) {
              return this.rewind(startLine, startLength, startUnits, startFields);
            }
            if (data[at + 1] === QUOTE) {
              this.append(QUOTE);
              needsQuoting = 1;
              at += 2;
              continue;
            }
            at += 1;
            break;
          }
          if (byte === CR || byte === LF) {
            line += 1;
            needsQuoting = 1;
          } else if (byte === COMMA) {
            needsQuoting = 1;
          }
          this.append(byte);
          at += 1;
          if (this.outLength - startLength > this.maxRecordBytes + 1) {
            throw new CsvFormatError(this.tooLong(line), line);
          }
        }
        // After the closing quote: a comma, the record's end, or the end of the input.
        if (at < length && data[at] !== COMMA) {
          const end = this.lineEndAt(data, at, final);
          if (end === INCOMPLETE)
            return this.rewind(startLine, startLength, startUnits, startFields);
          if (end === 0) {
            const got = String.fromCharCode(data[at]);
            throw new CsvFormatError(
              `Invalid Closing Quote: got "${got}" at line ${line} instead of delimiter, record delimiter, trimable character (if activated) or comment`,
              line,
            );
          }
        }
      } else {
        for (;;) {
          if (at >= length) {
            if (!final) return this.rewind(startLine, startLength, startUnits, startFields);
            break;
          }
          const byte = data[at];
          if (byte === COMMA) break;
          if (byte === CR || byte === LF) {
            const end = this.lineEndAt(data, at, final);
            if (end === INCOMPLETE)
              return this.rewind(startLine, startLength, startUnits, startFields);
            if (end > 0) break;
            line += 1;
            needsQuoting = 1;
          } else if (byte === QUOTE) {
            const value = JSON.stringify(this.textFrom(fieldStart));
            throw new CsvFormatError(
              `Invalid Opening Quote: a quote is found on field ${fields} at line ${line}, value is ${value}`,
              line,
            );
          }
          this.append(byte);
          at += 1;
          if (this.outLength - startLength > this.maxRecordBytes + 1) {
            throw new CsvFormatError(this.tooLong(line), line);
          }
        }
      }
      this.endField();
      fields += 1;
      if (at >= length) {
        // csv-parse counts a line break when it reads the byte after it: none after the last.
        const last = data[length - 1];
        if (last === CR || last === LF) line -= 1;
        this.endRecord(fields, line, needsQuoting);
        this.line = line;
        return at;
      }
      if (data[at] === COMMA) {
        at += 1;
        continue;
      }
      // A record end (checked above): the record's line is the one it ends on.
      const end = this.lineEndAt(data, at, final);
      this.endRecord(fields, line, needsQuoting);
      this.line = line + 1;
      return at + end;
    }
  }

  /**
   * Length of the record ending at `at` (0 when the byte there ends no record), INCOMPLETE
   * when the next byte is needed to tell. The first line break decides how records end.
   */
  private lineEndAt(data: Uint8Array, at: number, final: boolean): number {
    const byte = data[at];
    if (byte !== CR && byte !== LF) return 0;
    if (this.recordEnd === RecordEnd.Unknown) {
      if (byte === LF) this.recordEnd = RecordEnd.Lf;
      else if (at + 1 >= data.length && !final) return INCOMPLETE;
      else this.recordEnd = data[at + 1] === LF ? RecordEnd.CrLf : RecordEnd.Cr;
    }
    switch (this.recordEnd) {
      case RecordEnd.Lf:
        return byte === LF ? 1 : 0;
      case RecordEnd.Cr:
        return byte === CR ? 1 : 0;
      default:
        if (byte !== CR) return 0;
        if (at + 1 >= data.length) return final ? 0 : INCOMPLETE;
        return data[at + 1] === LF ? 2 : 0;
    }
  }

  private append(byte: number): void {
    if (this.outLength === this.out.length) this.out = grow(this.out);
    this.out[this.outLength++] = byte;
    // UTF-16 units: one per character start, two for a 4-byte sequence (a surrogate pair).
    if ((byte & 0xc0) !== 0x80) this.outUnits += byte >= 0xf0 ? 2 : 1;
  }

  private ensureField(): void {
    if (this.fieldCount + 2 > this.bounds.length) this.bounds = grow(this.bounds);
  }

  private endField(): void {
    this.bounds[++this.fieldCount] = this.outUnits;
  }

  private endRecord(fields: number, line: number, needsQuoting: number): void {
    if (!this.header) {
      const text = Buffer.from(this.out.buffer, 0, this.outLength).toString('utf8');
      this.header = [];
      for (let f = 0; f < fields; f++) {
        this.header.push(text.slice(this.bounds[f], this.bounds[f + 1]));
      }
      this.outLength = this.outUnits = this.fieldCount = 0;
      return;
    }
    if (this.recordCount === this.counts.length) {
      this.counts = grow(this.counts);
      this.lineOf = grow(this.lineOf);
      this.quoting = grow(this.quoting);
    }
    this.counts[this.recordCount] = fields;
    this.lineOf[this.recordCount] = line;
    this.quoting[this.recordCount] = needsQuoting;
    this.recordCount += 1;
  }

  /** Forgets a cut-off record's fields: it is read again with more bytes. */
  private rewind(line: number, length: number, units: number, fields: number): number {
    this.line = line;
    this.outLength = length;
    this.outUnits = units;
    this.fieldCount = fields;
    return INCOMPLETE;
  }

  /** The scratch chunk as a chunk of its own (copies: the buffers are transferred). */
  private take(): RecordChunk {
    const records = this.recordCount;
    const chunk: RecordChunk = {
      size: records,
      bytes: this.out.slice(0, this.outLength),
      fieldBounds: this.bounds.slice(0, this.fieldCount + 1),
      fieldCounts: this.counts.slice(0, records),
      lines: this.lineOf.slice(0, records),
      needsQuoting: this.quoting.slice(0, records),
    };
    this.outLength = this.outUnits = this.fieldCount = this.recordCount = 0;
    return chunk;
  }

  /** The scratch bytes from `start` on, as text. */
  private textFrom(start: number): string {
    return Buffer.from(this.out.buffer, start, this.outLength - start).toString('utf8');
  }

  private tooLong(line: number): string {
    return `Max Record Size: record exceed the maximum number of tolerated bytes of ${this.maxRecordBytes} at line ${line}`;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

function grow<T extends Uint8Array | Uint32Array>(array: T): T {
  const bigger = new (array.constructor as new (length: number) => T)(array.length * 2);
  bigger.set(array);
  return bigger;
}
