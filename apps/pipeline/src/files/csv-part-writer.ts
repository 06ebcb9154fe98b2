import { once } from 'node:events';
import { createWriteStream, WriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';

/** Characters collected before one stream write. */
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
    const field = fields[i];
    if (i > 0) line += ',';
    line += NEEDS_QUOTES.test(field) ? `"${field.replace(QUOTE, '""')}"` : field;
  }
  return `${line}\n`;
}

/**
 * A CSV file written from ready-made lines, collected into one stream write per 64 K characters
 * rather than one per row, with back-pressure, and made durable (fsync) on close.
 */
export class CsvPartWriter {
  private readonly out: WriteStream;
  private text = '';
  private failure: Error | undefined;

  /** A new file starting with `header`, or, without one, more rows appended to a finished part. */
  constructor(
    readonly path: string,
    header: readonly string[] | undefined,
  ) {
    this.out = createWriteStream(path, { flags: header ? 'wx' : 'a' });
    this.out.on('error', (error) => (this.failure = error));
    if (header) this.text = csvLine(header);
  }

  /** True while the file's buffer is full: the caller should await drained(). */
  get congested(): boolean {
    return this.out.writableNeedDrain;
  }

  /** Appends CSV lines (each LF-terminated, see csvLine). */
  addLines(lines: string): void {
    this.text += lines;
    if (this.text.length >= WRITE_SIZE) this.flush();
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
    this.text = '';
    if (!this.out.closed) {
      this.out.destroy();
      await once(this.out, 'close');
    }
    await rm(this.path, { force: true });
  }

  private flush(): void {
    if (!this.text) return;
    this.out.write(this.text);
    this.text = '';
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
