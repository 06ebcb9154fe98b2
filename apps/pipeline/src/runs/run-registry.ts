import { fingerprint, FingerprintTable } from './fingerprints';

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

const SAMPLES = 20;

/**
 * What a run remembers across all its files: which applications it has already written (to keep
 * duplicates once) and who holds each membership id (to detect collisions). Rows of a file that
 * is rejected half way are forgotten, so they neither hide nor collide with later rows.
 */
export class RunRegistry {
  private readonly seen = new FingerprintTable(1); // file index + 1
  private readonly holders = new FingerprintTable(3); // person hash, file index + 1, line
  private readonly files: string[] = [];
  private readonly discarded = new Set<number>();
  private readonly scratch = new Uint32Array(2);
  private readonly idKey = [''];
  private readonly collisionsByFile = new Map<number, number>();
  collisionSamples: CollisionSample[] = [];
  duplicateSamples: DuplicateSample[] = [];

  /** Rows given a membership id that another person already held in this run. */
  get collisions(): number {
    let total = 0;
    for (const count of this.collisionsByFile.values()) total += count;
    return total;
  }

  /** Registers a file of this run; its index tags every row it contributes. */
  addFile(name: string): number {
    this.files.push(name);
    return this.files.length - 1;
  }

  /** Forgets every row of a file whose output was thrown away. */
  discardFile(fileIndex: number): void {
    this.discarded.add(fileIndex + 1);
    this.collisionsByFile.delete(fileIndex);
    const name = this.files[fileIndex];
    this.collisionSamples = this.collisionSamples.filter(
      (sample) => sample.first.file !== name && sample.second.file !== name,
    );
    this.duplicateSamples = this.duplicateSamples.filter(
      (sample) => sample.duplicate.file !== name && sample.originalFile !== name,
    );
  }

  /** True when an equal application was already kept in this run; otherwise remembers this one. */
  isDuplicate(key: readonly string[], fileIndex: number, line: number): boolean {
    fingerprint(key, this.scratch);
    const slot = this.seen.find(this.scratch[0], this.scratch[1]);
    if (slot >= 0 && !this.discarded.has(this.seen.value(slot, 0))) {
      if (this.duplicateSamples.length < SAMPLES) {
        this.duplicateSamples.push({
          duplicate: { file: this.files[fileIndex], line },
          originalFile: this.files[this.seen.value(slot, 0) - 1],
        });
      }
      return true;
    }
    const target = slot >= 0 ? slot : this.seen.insert(this.scratch[0], this.scratch[1]);
    this.seen.setValue(target, 0, fileIndex + 1);
    return false;
  }

  /** Records who holds a membership id; counts a collision when another person already does. */
  holdId(membershipId: string, person: readonly string[], fileIndex: number, line: number): void {
    fingerprint(person, this.scratch);
    const personHash = this.scratch[0];
    this.idKey[0] = membershipId;
    fingerprint(this.idKey, this.scratch);
    const slot = this.holders.find(this.scratch[0], this.scratch[1]);
    if (slot >= 0 && !this.discarded.has(this.holders.value(slot, 1))) {
      if (this.holders.value(slot, 0) !== personHash) {
        this.collisionsByFile.set(fileIndex, (this.collisionsByFile.get(fileIndex) ?? 0) + 1);
        if (this.collisionSamples.length < SAMPLES) {
          this.collisionSamples.push({
            membershipId,
            first: this.ref(this.holders.value(slot, 1), this.holders.value(slot, 2)),
            second: { file: this.files[fileIndex], line },
          });
        }
      }
      return;
    }
    const target = slot >= 0 ? slot : this.holders.insert(this.scratch[0], this.scratch[1]);
    this.holders.setValue(target, 0, personHash);
    this.holders.setValue(target, 1, fileIndex + 1);
    this.holders.setValue(target, 2, line);
  }

  /** Where this run's first holder of a membership id is (for a sample), if a kept row holds it. */
  locate(membershipId: string): RowRef | undefined {
    this.idKey[0] = membershipId;
    fingerprint(this.idKey, this.scratch);
    const slot = this.holders.find(this.scratch[0], this.scratch[1]);
    if (slot < 0 || this.discarded.has(this.holders.value(slot, 1))) return undefined;
    return this.ref(this.holders.value(slot, 1), this.holders.value(slot, 2));
  }

  private ref(fileTag: number, line: number): RowRef {
    return { file: this.files[fileTag - 1], line };
  }
}
