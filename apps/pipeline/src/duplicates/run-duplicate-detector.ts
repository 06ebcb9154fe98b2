import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { countReasons, FAILURE_REASONS } from '../applications/application-rules';
import { EmittedApplications } from './emitted-applications';
import { FingerprintTable } from './fingerprints';
import { lineChunks } from '../files/line-reader';

export interface RowRef {
  file: string;
  line: number;
}

export interface CollisionSample {
  membershipId: string;
  first: RowRef;
  second: RowRef;
}

export interface DuplicateSample {
  duplicate: RowRef;
  /** The file holding the kept row (its line is not remembered, to keep 12 bytes a row). */
  originalFile: string;
}

/**
 * Where a run's issued membership ids go (the run's temporary table in PostgreSQL, see
 * IssuedIdTable): collisions within the run and with earlier runs are found there at commit,
 * so no per-id state grows in memory. `ord` is the row's place in the run's processing order:
 * the lowest holds the id.
 */
export interface IssuedIdSink {
  add(
    ord: number,
    fileIndex: number,
    line: number,
    membershipId: string,
    person: string,
    fingerprintHi: number,
    fingerprintLo: number,
  ): void;
  discardFile(fileIndex: number): void;
  readonly congested: boolean;
  drained(): Promise<void>;
}

/** What admit() decided for a row. */
export const enum Admission {
  /** First of its kind in the run: write it. */
  New,
  /** An equal row was kept earlier in the run: count it, write nothing. */
  Duplicate,
  /** Its fingerprint's partition is on disk: hand the row to defer(). */
  Deferred,
  /** An earlier run emitted this application: count it, write nothing. */
  AlreadyEmitted,
}

/** Per-file counts of deferred rows, known once they are resolved. */
export interface DeferredCounts {
  successful: number;
  failed: number;
  duplicates: number;
  /** Failed rows per FAILURE_REASONS index. */
  failureReasons: Uint32Array;
}

/** Where resolved deferred rows' output lines are written. */
export interface DeferredOutput {
  addSuccessful(line: string): void;
  addFailed(line: string): void;
  readonly congested: boolean;
  drained(): Promise<void>;
}

const SAMPLES = 20;
const PARTITION_BITS = 6;
const PARTITIONS = 1 << PARTITION_BITS;
/** 24 MB of duplicate fingerprints (12 bytes a slot, 1.5M rows) before partitions go to disk. */
export const DEFAULT_SEEN_SLOTS = 1 << 21;
const WRITE_BUFFER = 1 << 15;

const partitionOf = (hi: number) => hi >>> (32 - PARTITION_BITS);

/**
 * A deferred row on disk: fingerprint, file, line, ord, output line, then for a failed row its
 * reason bits, for a successful one its id and holder.
 */
type DeferredRecord =
  | [number, number, number, number, number, string, number]
  | [number, number, number, number, number, string, string, string];

/**
 * What a run remembers across all its files to keep duplicates once: a 64-bit fingerprint of
 * every kept row, with the file it came from. Memory is bounded: the fingerprints live in one
 * typed-array table of at most `seenSlots` slots, hash-partitioned 64 ways; when it is full,
 * half of the partitions still in memory are written to disk and leave the table, and later
 * rows falling in a partition on disk are deferred (written to that partition's file) instead
 * of decided. After the last file, each partition on disk is decided in turn: its fingerprints
 * are loaded and its deferred rows are read in order. Equal rows share a fingerprint and so a
 * partition, in which order is kept, so the result is the one an unbounded table gives: the
 * first row is kept, the later ones counted. Deferred rows are written after all others.
 *
 * Ids are streamed to an IssuedIdSink. Rows of a file that is rejected half way are forgotten,
 * so they neither hide nor collide with later rows.
 */
export class RunDuplicateDetector {
  private readonly seen: FingerprintTable;
  private readonly files: string[] = [];
  private readonly discarded = new Set<number>();
  /** The fingerprint of the row just admitted. */
  private readonly current = new Uint32Array(2);
  private readonly perPartition = new Uint32Array(PARTITIONS);
  /** Per partition: the file descriptors of its fingerprints and deferred rows, once on disk. */
  private readonly spilled: Array<{ seen: number; rows: number; text: string } | undefined> =
    new Array(PARTITIONS).fill(undefined);
  private ord = 0;
  private currentOrd = 0;
  private resolving = false;
  deferredRows = 0;
  duplicateSamples: DuplicateSample[] = [];

  constructor(
    private readonly ids: IssuedIdSink,
    /** Folder for partitions on disk (the run's work folder). */
    private readonly workDir: string,
    private readonly seenSlots = DEFAULT_SEEN_SLOTS,
    private readonly emitted = EmittedApplications.none,
  ) {
    // Allocated at its full size once (pages are only touched as rows arrive): growing by
    // doubling would leave the smaller tables for the garbage collector at the fullest moment.
    this.seen = new FingerprintTable(1, seenSlots);
  }

  /** True once some partition went to disk: resolveDeferred() has work to do. */
  get spilling(): boolean {
    return this.spilled.some((partition) => partition !== undefined);
  }

  /** Registers a file of this run; its index tags every row it contributes. */
  /** File names by file index. */
  get fileNames(): readonly string[] {
    return this.files;
  }

  addFile(name: string): number {
    this.files.push(name);
    return this.files.length - 1;
  }

  /** Forgets every row of a file whose output was thrown away. */
  discardFile(fileIndex: number): void {
    this.discarded.add(fileIndex + 1);
    this.ids.discardFile(fileIndex);
    const name = this.files[fileIndex];
    this.duplicateSamples = this.duplicateSamples.filter(
      (sample) => sample.duplicate.file !== name && sample.originalFile !== name,
    );
  }

  /**
   * Decides a row by the fingerprint of its duplicate key: emitted by an earlier run (a
   * successful row only), new (and remembered), a duplicate of a kept row, or deferred (then defer() must be called with the row before the next admit()).
   */
  admit(hi: number, lo: number, fileIndex: number, line: number, successful: boolean): Admission {
    this.currentOrd = this.ord++;
    this.current[0] = hi;
    this.current[1] = lo;
    if (successful && this.emitted.has(hi, lo)) return Admission.AlreadyEmitted;
    if (this.spilled[partitionOf(hi)]) return Admission.Deferred;
    return this.decide(hi, lo, fileIndex, line) ? Admission.Duplicate : Admission.New;
  }

  /** Records who holds the membership id of the row just admitted. */
  holdId(membershipId: string, person: string, fileIndex: number, line: number): void {
    const [hi, lo] = this.current;
    this.ids.add(this.currentOrd, fileIndex, line, membershipId, person, hi, lo);
  }

  /**
   * Writes the row just admitted to its partition's file: its output line, and for a
   * successful row the id it will hold and who holds it.
   */
  defer(
    fileIndex: number,
    line: number,
    text: string,
    membershipId?: string,
    person?: string,
    reasonBits = 0,
  ): void {
    const [hi, lo] = this.current;
    const partition = this.spilled[partitionOf(hi)]!;
    const record: DeferredRecord =
      membershipId === undefined
        ? [hi, lo, fileIndex, line, this.currentOrd, text, reasonBits]
        : [hi, lo, fileIndex, line, this.currentOrd, text, membershipId, person ?? ''];
    partition.text += `${JSON.stringify(record)}\n`;
    this.deferredRows += 1;
    if (partition.text.length >= WRITE_BUFFER) {
      writeSync(partition.rows, partition.text);
      partition.text = '';
    }
  }

  /**
   * Decides every deferred row, partition by partition, writing the kept ones to `out` and
   * their ids to the sink. Returns the counts per file index.
   */
  async resolveDeferred(out: DeferredOutput): Promise<Map<number, DeferredCounts>> {
    // One partition at a time now; one bigger than the budget (a run of over ~50 million
    // distinct rows) makes the table grow rather than spill again.
    this.resolving = true;
    const counts = new Map<number, DeferredCounts>();
    const countsOf = (fileIndex: number) => {
      let entry = counts.get(fileIndex);
      if (!entry) {
        entry = {
          successful: 0,
          failed: 0,
          duplicates: 0,
          failureReasons: new Uint32Array(FAILURE_REASONS.length),
        };
        counts.set(fileIndex, entry);
      }
      return entry;
    };
    for (let p = 0; p < PARTITIONS; p++) {
      const partition = this.spilled[p];
      if (!partition) continue;
      writeSync(partition.rows, partition.text);
      partition.text = '';
      closeSync(partition.rows);
      this.seen.clear();
      this.loadSeen(partition.seen);
      closeSync(partition.seen);
      for await (const chunk of lineChunks(this.partitionPath(p, 'rows'))) {
        for (const json of chunk) {
          const record = JSON.parse(json) as DeferredRecord;
          const [hi, lo, fileIndex, line, ord, text] = record;
          if (this.discarded.has(fileIndex + 1)) continue;
          const fileCounts = countsOf(fileIndex);
          if (this.decide(hi, lo, fileIndex, line)) {
            fileCounts.duplicates += 1;
          } else if (record.length === 8) {
            fileCounts.successful += 1;
            this.ids.add(ord, fileIndex, line, record[6], record[7], hi, lo);
            out.addSuccessful(text);
          } else {
            fileCounts.failed += 1;
            countReasons(fileCounts.failureReasons, record[6]);
            out.addFailed(text);
          }
        }
        if (out.congested) await out.drained();
        if (this.ids.congested) await this.ids.drained();
      }
      this.spilled[p] = undefined;
    }
    this.seen.clear();
    return counts;
  }

  /** Closes what is still open (the files themselves go with the run's work folder). */
  close(): void {
    for (const [p, partition] of this.spilled.entries()) {
      if (!partition) continue;
      closeSync(partition.rows);
      closeSync(partition.seen);
      this.spilled[p] = undefined;
    }
  }

  /** True when an equal row was already kept; otherwise remembers this one. */
  private decide(hi: number, lo: number, fileIndex: number, line: number): boolean {
    const slot = this.seen.find(hi, lo);
    if (slot >= 0 && !this.discarded.has(this.seen.value(slot, 0))) {
      if (this.duplicateSamples.length < SAMPLES) {
        this.duplicateSamples.push({
          duplicate: { file: this.files[fileIndex], line },
          originalFile: this.files[this.seen.value(slot, 0) - 1],
        });
      }
      return true;
    }
    let target = slot;
    if (target < 0) {
      if (this.seen.full && this.seen.capacity >= this.seenSlots && !this.resolving) {
        this.evict();
        // This row's own partition may have just gone to disk: its fingerprint goes with it.
        if (this.spilled[partitionOf(hi)]) {
          this.writeSeen(this.spilled[partitionOf(hi)]!.seen, hi, lo, fileIndex + 1);
          return false;
        }
      }
      target = this.seen.insert(hi, lo);
      this.perPartition[partitionOf(hi)] += 1;
    }
    this.seen.setValue(target, 0, fileIndex + 1);
    return false;
  }

  /** Sends the fullest half of the partitions still in memory to disk. */
  private evict(): void {
    const resident = [...this.perPartition.keys()].filter((p) => !this.spilled[p]);
    resident.sort((a, b) => this.perPartition[b] - this.perPartition[a]);
    const leaving = new Set(resident.slice(0, Math.max(1, resident.length >> 1)));
    // Written through one small buffer per partition, not collected in arrays first: the
    // eviction happens when memory is at its fullest.
    const buffers = new Map<number, { words: Uint32Array; length: number }>();
    for (const p of leaving) {
      this.spilled[p] = {
        seen: openSync(this.partitionPath(p, 'seen'), 'w+'),
        rows: openSync(this.partitionPath(p, 'rows'), 'w'),
        text: '',
      };
      buffers.set(p, { words: new Uint32Array(3 * 1024), length: 0 });
      this.perPartition[p] = 0;
    }
    const flush = (p: number, buffer: { words: Uint32Array; length: number }) => {
      if (buffer.length) writeSync(this.spilled[p]!.seen, buffer.words.subarray(0, buffer.length));
      buffer.length = 0;
    };
    this.seen.removeWhere(
      (hi) => leaving.has(partitionOf(hi)),
      (hi, lo, slot) => {
        const tag = this.seen.value(slot, 0);
        if (this.discarded.has(tag)) return;
        const p = partitionOf(hi);
        const buffer = buffers.get(p)!;
        buffer.words[buffer.length++] = hi;
        buffer.words[buffer.length++] = lo;
        buffer.words[buffer.length++] = tag;
        if (buffer.length === buffer.words.length) flush(p, buffer);
      },
    );
    for (const [p, buffer] of buffers) flush(p, buffer);
  }

  private writeSeen(fd: number, hi: number, lo: number, tag: number): void {
    writeSync(fd, new Uint32Array([hi, lo, tag]));
  }

  /** Loads a partition's fingerprints into the (cleared) table, reading from the start. */
  private loadSeen(fd: number): void {
    const words = new Uint32Array(3 * 4096);
    const bytes = Buffer.from(words.buffer);
    let position = 0;
    for (;;) {
      const read = readSync(fd, bytes, 0, bytes.length, position);
      if (read === 0) break;
      position += read;
      for (let w = 0; w + 3 <= read / 4; w += 3) {
        if (this.discarded.has(words[w + 2])) continue;
        this.seen.setValue(this.seen.insert(words[w], words[w + 1]), 0, words[w + 2]);
      }
    }
  }

  private partitionPath(partition: number, kind: 'seen' | 'rows'): string {
    return join(this.workDir, `${kind}.${partition}.${kind === 'seen' ? 'bin' : 'jsonl'}`);
  }
}
