import { once } from 'node:events';
import { createWriteStream, WriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';

const BATCH = 512;

/**
 * A CSV file written through csv-stringify in batches of rows (one stream write per batch
 * rather than per row), with back-pressure, and made durable (fsync) on close.
 */
export class CsvPartWriter {
  private readonly out: WriteStream;
  private rows: string[][] = [];
  private failure: Error | undefined;

  constructor(
    readonly path: string,
    header: readonly string[],
  ) {
    this.out = createWriteStream(path, { flags: 'wx' });
    this.out.on('error', (error) => (this.failure = error));
    this.rows.push([...header]);
  }

  /** True while the file's buffer is full: the caller should await drained(). */
  get congested(): boolean {
    return this.out.writableNeedDrain;
  }

  add(row: string[]): void {
    this.rows.push(row);
    if (this.rows.length >= BATCH) this.flush();
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
    this.rows = [];
    if (!this.out.closed) {
      this.out.destroy();
      await once(this.out, 'close');
    }
    await rm(this.path, { force: true });
  }

  private flush(): void {
    if (!this.rows.length) return;
    const text = stringify(this.rows, { record_delimiter: 'unix' });
    this.rows = [];
    this.out.write(text);
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
