import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { RuleSettings } from '../applications/application-rules';
import { RecordChunk } from './csv-tokenizer';
import { EvaluatedFile, EvaluationSummary, RowChunk } from './row-evaluator';

export type EvaluatorRequest =
  { type: 'file'; file: EvaluatedFile } | { type: 'records'; chunk: RecordChunk } | { type: 'end' };

/**
 * A RowChunk as it crosses to the run's thread: its ids and their holders as one string each,
 * cloned at once rather than string by string (that cloning was most of the rules thread's
 * postMessage). A successful row's id and holder hold no line break: its names are words and
 * its email a valid address.
 */
export type RowChunkMessage = Omit<RowChunk, 'membershipIds' | 'persons'> & {
  membershipIds: string;
  persons: string;
};

export const packRows = (chunk: RowChunk): RowChunkMessage => ({
  ...chunk,
  membershipIds: chunk.membershipIds.join('\n'),
  persons: chunk.persons.join('\n'),
});

function unpackRows(message: RowChunkMessage): RowChunk {
  const lines = (text: string) => (text === '' ? [] : text.split('\n'));
  const chunk = {
    ...message,
    membershipIds: lines(message.membershipIds),
    persons: lines(message.persons),
  };
  const successful = chunk.successful.reduce((sum, flag) => sum + flag, 0);
  if (chunk.membershipIds.length !== successful || chunk.persons.length !== successful) {
    throw new Error('a membership id or its holder holds a line break');
  }
  return chunk;
}

export type EvaluatorMessage =
  | { type: 'rows'; chunk: RowChunkMessage }
  | { type: 'end'; summary: EvaluationSummary }
  | { type: 'error'; error: Error };

/**
 * A thread applying the rules (FileEvaluator) to the records the run's thread parses: parsing,
 * duplicates, writing and the id stream to PostgreSQL stay on the run's thread, the rules run
 * beside them, so a run uses two cores. Each records chunk gives one rows chunk, in order; a
 * file's end gives its ambiguous rows, then its summary.
 */
export class RowEvaluatorThread {
  /** Started with the first file, so a run with nothing to read starts no thread. */
  private worker: Worker | undefined;
  private readonly inbox: EvaluatorMessage[] = [];
  private waiting: ((message: EvaluatorMessage) => void) | undefined;
  private sent = 0;
  private received = 0;
  private closing = false;
  /** Set when the thread died or was left mid-file: the next file starts a new one. */
  private stale = false;

  constructor(private readonly settings: RuleSettings) {}

  /** Records chunks sent whose rows have not been taken yet. */
  get pending(): number {
    return this.sent - this.received;
  }

  startFile(file: EvaluatedFile): void {
    if (!this.worker || this.stale) this.start();
    this.post({ type: 'file', file });
  }

  /** Hands the chunk's buffers over (transferred, not copied): the caller must not use it again. */
  evaluate(chunk: RecordChunk): void {
    this.sent += 1;
    const { bytes, fieldBounds, fieldCounts, lines, needsQuoting } = chunk;
    this.post({ type: 'records', chunk }, [
      bytes.buffer,
      fieldBounds.buffer,
      fieldCounts.buffer,
      lines.buffer,
      needsQuoting.buffer,
    ]);
  }

  /** After the file's last records: next() then gives its ambiguous rows and its summary. */
  endFile(): void {
    this.post({ type: 'end' });
  }

  /** The thread's next answer, in order; an error when the thread failed. */
  async next(): Promise<RowChunk | EvaluationSummary> {
    const message =
      this.inbox.shift() ??
      (await new Promise<EvaluatorMessage>((resolve) => (this.waiting = resolve)));
    if (message.type === 'error') {
      this.abandon();
      throw message.error;
    }
    if (message.type === 'end') return message.summary;
    // Answers come in order: records chunks' rows first, then the file end's ambiguous rows.
    if (this.received < this.sent) this.received += 1;
    return unpackRows(message.chunk);
  }

  /** Forgets the current file: the thread is replaced before the next one. */
  abandon(): void {
    if (this.stale || !this.worker) return;
    this.stale = true;
    void this.worker.terminate();
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.worker?.terminate();
  }

  private start(): void {
    this.inbox.length = 0;
    this.waiting = undefined;
    this.sent = this.received = 0;
    this.stale = false;
    const worker = new Worker(join(__dirname, 'row-evaluator.worker.js'), {
      workerData: this.settings,
      // Small heaps, like the run thread's (cli/run-thread.ts): the run stays under 200 MB. A 32 MB
      // young generation was not measurably faster; 8 MB was slower (more scavenges).
      resourceLimits: { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 32 },
    });
    // A replaced thread's messages are ignored.
    const current = () => worker === this.worker && !this.stale && !this.closing;
    worker.on('message', (message: EvaluatorMessage) => current() && this.deliver(message));
    worker.on('error', (error) => {
      if (!current()) return;
      this.stale = true;
      this.deliver({ type: 'error', error });
    });
    worker.on('exit', (code) => {
      if (!current()) return;
      this.stale = true;
      const error = new Error(`the rules thread stopped unexpectedly (exit code ${code})`);
      this.deliver({ type: 'error', error });
    });
    this.worker = worker;
  }

  private post(request: EvaluatorRequest, transfer: ArrayBufferLike[] = []): void {
    if (!this.worker) throw new Error('no file started: call startFile() first');
    this.worker.postMessage(request, transfer as ArrayBuffer[]);
  }

  private deliver(message: EvaluatorMessage): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting) waiting(message);
    else this.inbox.push(message);
  }
}
