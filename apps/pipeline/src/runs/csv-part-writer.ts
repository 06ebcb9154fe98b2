import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { stringify, Stringifier } from 'csv-stringify';

/** A CSV file written through csv-stringify with back-pressure, made durable (fsync) on close. */
export class CsvPartWriter {
  private readonly stringifier: Stringifier;
  private readonly done: Promise<void>;

  constructor(
    readonly path: string,
    header: string[],
  ) {
    this.stringifier = stringify({ record_delimiter: 'unix' });
    this.done = pipeline(this.stringifier, createWriteStream(path, { flags: 'wx' }));
    // Surfaced by close(); without a handler an early write error would crash the process.
    this.done.catch(() => undefined);
    this.stringifier.write(header);
  }

  /** False when the caller should await drained() before writing more. */
  write(row: string[]): boolean {
    return this.stringifier.write(row);
  }

  async drained(): Promise<void> {
    await Promise.race([once(this.stringifier, 'drain'), this.done]);
  }

  async close(): Promise<void> {
    this.stringifier.end();
    await this.done;
    await fsyncPath(this.path);
  }

  async discard(): Promise<void> {
    this.stringifier.destroy();
    await this.done.catch(() => undefined);
    await rm(this.path, { force: true });
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
