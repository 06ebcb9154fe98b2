import { TransformCallback } from 'node:stream';
import { Options, Parser } from 'csv-parse';

/**
 * csv-parse's stream parser, emitting each input chunk's records as one array (one stream
 * push and one await per chunk instead of per row), each record ending with its line number
 * (a number, though typed with the strings). The line is read from the parser's public `info` at the moment the record is
 * emitted: the same value `on_record`'s context carries, without building a context per row.
 */
export class BatchingParser extends Parser {
  private batch: string[][] = [];

  constructor(options: Options) {
    // One batch waiting is enough: back-pressure then reaches the file read at once.
    super({ ...options, readableHighWaterMark: 1 } as Options);
  }

  override push(record: unknown, encoding?: BufferEncoding): boolean {
    if (record === null) {
      this.flushBatch();
      return super.push(null, encoding);
    }
    (record as unknown[]).push(this.info.lines);
    this.batch.push(record as string[]);
    return true;
  }

  override _transform(chunk: Buffer, encoding: BufferEncoding, callback: TransformCallback): void {
    super._transform(chunk, encoding, (error?: Error | null) => {
      this.flushBatch();
      callback(error);
    });
  }

  override _flush(callback: TransformCallback): void {
    super._flush((error?: Error | null) => {
      this.flushBatch();
      callback(error);
    });
  }

  private flushBatch(): void {
    if (this.batch.length === 0) return;
    const batch = this.batch;
    this.batch = [];
    super.push(batch);
  }
}
