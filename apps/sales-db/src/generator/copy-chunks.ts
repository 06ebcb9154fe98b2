const CHUNK_CHARS = 65_536;

/**
 * COPY text joined into ~64 KB buffers. One stream write per row, or millions of retained row
 * strings, would cost more garbage collection than the load itself.
 */
export class CopyChunks {
  /** Rows added so far. */
  rows = 0;
  private readonly ready: Buffer[] = [];
  private text = '';

  add(row: string): void {
    this.text += row;
    this.rows += 1;
    if (this.text.length >= CHUNK_CHARS) this.flush();
  }

  /** Hands over the full chunks so far (streaming while rows are still being added). */
  take(): Buffer[] {
    return this.ready.length === 0 ? [] : this.ready.splice(0);
  }

  /** Hands over every remaining chunk, the last partial one included. */
  finish(): Buffer[] {
    this.flush();
    return this.take();
  }

  private flush(): void {
    if (this.text) this.ready.push(Buffer.from(this.text));
    this.text = '';
  }
}
