import { once } from 'node:events';
import { createWriteStream, WriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';

/** Bytes collected before one stream write. */
const WRITE_SIZE = 1 << 16;
const NEEDS_QUOTES = /[",\n\r]/;
const QUOTE = /"/g;

/**
 * One CSV line (LF-terminated), quoted as csv-stringify's defaults do: a field holding a comma,
 * a quote, CR or LF is quoted with inner quotes doubled; anything else is written as is (a lone
 * CR is quoted too, which csv-stringify omits with LF records). Hand-written because
 * csv-stringify's per-field options and casts were about a sixth of the run's CPU time; a test
 * checks both agree and that csv-parse reads every line back.
 */
export function csvLine(fields: readonly string[]): string {
  for (let i = 0; i < fields.length; i++) {
    if (NEEDS_QUOTES.test(fields[i])) return quotedLine(fields);
  }
  // Nothing to quote (nearly every row): one join, no intermediate strings.
  return `${fields.join(',')}\n`;
}

function quotedLine(fields: readonly string[]): string {
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) line += ',';
    line += csvField(fields[i]);
  }
  return `${line}\n`;
}

/** One field as csvLine writes it: quoted (inner quotes doubled) only when it must be. */
export function csvField(field: string): string {
  return NEEDS_QUOTES.test(field) ? `"${field.replace(QUOTE, '""')}"` : field;
}

/**
 * A CSV file written from ready-made lines, collected into one stream write per 64 KB rather
 * than one per row, with back-pressure, and made durable (fsync) on close.
 */
export class CsvPartWriter {
  private readonly out: WriteStream;
  private pending = Buffer.allocUnsafeSlow(WRITE_SIZE);
  private length = 0;
  private failure: Error | undefined;

  /** A new file starting with `header`, or, without one, more rows appended to a finished part. */
  constructor(
    readonly path: string,
    header: readonly string[] | undefined,
  ) {
    this.out = createWriteStream(path, { flags: header ? 'wx' : 'a' });
    this.out.on('error', (error) => (this.failure = error));
    if (header) this.addLines(csvLine(header));
  }

  /** True while the file's buffer is full: the caller should await drained(). */
  get congested(): boolean {
    return this.out.writableNeedDrain;
  }

  /** Appends CSV lines (each LF-terminated, see csvLine). */
  addLines(lines: string): void {
    this.addBytes(Buffer.from(lines));
  }

  /** Appends CSV lines as UTF-8 bytes; the bytes must not change afterwards. */
  addBytes(bytes: Uint8Array): void {
    if (this.length + bytes.length > this.pending.length) this.flush();
    if (bytes.length >= this.pending.length) {
      this.out.write(bytes);
      return;
    }
    this.pending.set(bytes, this.length);
    this.length += bytes.length;
  }

  async drained(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.out.writableNeedDrain) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    this.flush();
    this.out.end();
    await once(this.out, 'close');
    if (this.failure) throw this.failure;
    await fsyncPath(this.path);
  }

  async discard(): Promise<void> {
    this.length = 0;
    if (!this.out.closed) {
      this.out.destroy();
      await once(this.out, 'close');
    }
    await rm(this.path, { force: true });
  }

  private flush(): void {
    if (this.length === 0) return;
    this.out.write(this.pending.subarray(0, this.length));
    // The stream holds the written bytes until they reach the file: a new buffer for the next.
    this.pending = Buffer.allocUnsafeSlow(WRITE_SIZE);
    this.length = 0;
  }
}

export async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
