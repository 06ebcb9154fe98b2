/**
 * 64-bit fingerprint of a list of strings (two 32-bit multiply-xor streams, cyrb53's mixing),
 * computed without joining them. ASCII letters are folded to lower case. Not cryptographic: it
 * only has to make accidental equality of different rows negligible (about n²/2^64 for n rows).
 */
export function fingerprint(parts: readonly string[], out: Uint32Array): void {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let p = 0; p < parts.length; p++) {
    const text = parts[p];
    // Two UTF-16 code units per multiply.
    for (let i = 0; i < text.length; i += 2) {
      let a = text.charCodeAt(i);
      let b = i + 1 < text.length ? text.charCodeAt(i + 1) : 0x1e;
      if (a >= 65 && a <= 90) a += 32;
      if (b >= 65 && b <= 90) b += 32;
      const pair = (a << 16) | b;
      h1 = Math.imul(h1 ^ pair, 2654435761);
      h2 = Math.imul(h2 ^ pair, 1597334677);
    }
    // A separator no text holds, so ("ab", "c") and ("a", "bc") differ.
    h1 = Math.imul(h1 ^ 0x1f, 2654435761);
    h2 = Math.imul(h2 ^ 0x1f, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  out[0] = h1 >>> 0;
  // Never 0, so (0, 0) can mark an empty slot.
  out[1] = (h2 | 1) >>> 0;
}

/**
 * Open-addressing hash table of 64-bit fingerprints, each with a few 32-bit values, in typed
 * arrays: about 12 + 4·values bytes per slot, so a million distinct rows cost tens of MB
 * instead of the hundreds a Map of strings would.
 */
export class FingerprintTable {
  private keys: Uint32Array;
  private values: Uint32Array;
  private mask: number;
  private count = 0;

  constructor(
    private readonly valuesPerSlot: number,
    initialCapacity = 1 << 16,
  ) {
    this.keys = new Uint32Array(initialCapacity * 2);
    this.values = new Uint32Array(initialCapacity * valuesPerSlot);
    this.mask = initialCapacity - 1;
  }

  get size(): number {
    return this.count;
  }

  get capacity(): number {
    return this.mask + 1;
  }

  /** True when one more insert would double the table. */
  get full(): boolean {
    return (this.count + 1) * 4 > (this.mask + 1) * 3;
  }

  /** Empties the table, keeping its size. */
  clear(): void {
    this.keys.fill(0);
    this.values.fill(0);
    this.count = 0;
  }

  /**
   * Removes every key whose high half `evict` selects, handing each (with its slot, to read its
   * values) to `removed`; the other keys are re-placed in the same arrays, so no second table is
   * allocated. The pass starts after a slot that is empty now: no probe sequence crosses it, so
   * when a key is re-placed every slot between its home and it has already been settled.
   */
  removeWhere(
    evict: (hi: number) => boolean,
    removed: (hi: number, lo: number, slot: number) => void,
  ): void {
    const capacity = this.mask + 1;
    let start = 0;
    while (this.keys[start * 2 + 1] !== 0) start += 1;
    for (let step = 1; step <= capacity; step++) {
      const slot = (start + step) & this.mask;
      const hi = this.keys[slot * 2];
      const lo = this.keys[slot * 2 + 1];
      if (lo === 0) continue;
      this.keys[slot * 2] = 0;
      this.keys[slot * 2 + 1] = 0;
      if (evict(hi)) {
        removed(hi, lo, slot);
        this.count -= 1;
      } else {
        const target = this.place(hi, lo);
        if (target === slot) continue;
        for (let v = 0; v < this.valuesPerSlot; v++) {
          this.values[target * this.valuesPerSlot + v] = this.values[slot * this.valuesPerSlot + v];
        }
      }
      for (let v = 0; v < this.valuesPerSlot; v++) this.values[slot * this.valuesPerSlot + v] = 0;
    }
  }

  /** The slot holding the key, or -1. */
  find(hi: number, lo: number): number {
    let slot = Math.imul(hi ^ lo, 0x9e3779b1) & this.mask;
    for (;;) {
      const k = slot * 2;
      if (this.keys[k + 1] === 0) return -1;
      if (this.keys[k] === hi && this.keys[k + 1] === lo) return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Adds a key known to be absent; returns its slot (values start at 0). */
  insert(hi: number, lo: number): number {
    if ((this.count + 1) * 4 > (this.mask + 1) * 3) this.grow();
    this.count += 1;
    return this.place(hi, lo);
  }

  value(slot: number, index: number): number {
    return this.values[slot * this.valuesPerSlot + index];
  }

  setValue(slot: number, index: number, value: number): void {
    this.values[slot * this.valuesPerSlot + index] = value;
  }

  private place(hi: number, lo: number): number {
    let slot = Math.imul(hi ^ lo, 0x9e3779b1) & this.mask;
    while (this.keys[slot * 2 + 1] !== 0) slot = (slot + 1) & this.mask;
    this.keys[slot * 2] = hi;
    this.keys[slot * 2 + 1] = lo;
    return slot;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    const capacity = (this.mask + 1) * 2;
    this.keys = new Uint32Array(capacity * 2);
    this.values = new Uint32Array(capacity * this.valuesPerSlot);
    this.mask = capacity - 1;
    for (let old = 0; old < oldKeys.length / 2; old++) {
      if (oldKeys[old * 2 + 1] === 0) continue;
      const slot = this.place(oldKeys[old * 2], oldKeys[old * 2 + 1]);
      for (let v = 0; v < this.valuesPerSlot; v++) {
        this.values[slot * this.valuesPerSlot + v] = oldValues[old * this.valuesPerSlot + v];
      }
    }
  }
}
