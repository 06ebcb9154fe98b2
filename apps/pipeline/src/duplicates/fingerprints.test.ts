import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { seededRandom } from '@des/shared';
import { fingerprint, FingerprintTable } from './fingerprints';
import { csvLine } from '../files/csv-part-writer';
import { PERSON_SEPARATOR } from '../processing/row-evaluator';
import { Admission, IssuedIdSink, RunDuplicateDetector } from './run-duplicate-detector';

/** Admits a row by its key, fingerprinted as the rules thread does. */
function admit(
  registry: RunDuplicateDetector,
  key: string[],
  fileIndex: number,
  line: number,
): Admission {
  const out = new Uint32Array(2);
  fingerprint(key, out);
  return registry.admit(out[0], out[1], fileIndex, line, false);
}

describe('FingerprintTable', () => {
  it('finds every inserted key across growth and nothing else', () => {
    const table = new FingerprintTable(1, 4);
    const out = new Uint32Array(2);
    for (let i = 0; i < 5000; i++) {
      fingerprint([`row ${i}`], out);
      assert.equal(table.find(out[0], out[1]), -1);
      table.setValue(table.insert(out[0], out[1]), 0, i);
    }
    assert.equal(table.size, 5000);
    for (let i = 0; i < 5000; i++) {
      fingerprint([`row ${i}`], out);
      assert.equal(table.value(table.find(out[0], out[1]), 0), i);
    }
    fingerprint(['row 5000'], out);
    assert.equal(table.find(out[0], out[1]), -1);
  });
});

describe('FingerprintTable.removeWhere', () => {
  it('removes the selected keys in place and every other key stays findable', () => {
    const table = new FingerprintTable(2, 1 << 10);
    const out = new Uint32Array(2);
    const keys: Array<[number, number]> = [];
    for (let i = 0; i < 700; i++) {
      fingerprint([`key ${i}`], out);
      keys.push([out[0], out[1]]);
      const slot = table.insert(out[0], out[1]);
      table.setValue(slot, 0, i);
      table.setValue(slot, 1, i * 2);
    }
    const evicted = new Set<number>();
    table.removeWhere(
      (hi) => hi % 3 === 0,
      (hi, lo, slot) => {
        assert.ok(hi % 3 === 0 && lo !== 0);
        evicted.add(table.value(slot, 0));
      },
    );
    keys.forEach(([hi, lo], i) => {
      const slot = table.find(hi, lo);
      if (hi % 3 === 0) {
        assert.equal(slot, -1);
        assert.ok(evicted.has(i));
      } else {
        assert.deepEqual([table.value(slot, 0), table.value(slot, 1)], [i, i * 2]);
      }
    });
    assert.equal(table.size, 700 - evicted.size);
    assert.ok(evicted.size > 150 && evicted.size < 320);
  });
});

/** Ids as the registry sends them, kept in an array (the real sink is a PostgreSQL table). */
class CollectedIds implements IssuedIdSink {
  rows: Array<{ ord: number; fileIndex: number; line: number; id: string; person: string }> = [];
  readonly congested = false;
  add(ord: number, fileIndex: number, line: number, id: string, person: string): void {
    this.rows.push({ ord, fileIndex, line, id, person });
  }
  discardFile(fileIndex: number): void {
    this.rows = this.rows.filter((row) => row.fileIndex !== fileIndex);
  }
  async drained(): Promise<void> {}
}

describe('RunDuplicateDetector', () => {
  let dir: string;
  before(async () => (dir = await mkdtemp(join(tmpdir(), 'pipeline-registry-'))));
  after(async () => rm(dir, { recursive: true, force: true }));

  it('keeps the first of equal rows and reports the rest', () => {
    const registry = new RunDuplicateDetector(new CollectedIds(), dir);
    const file = registry.addFile('a.csv');
    assert.equal(admit(registry, ['k1'], file, 2), Admission.New);
    assert.equal(admit(registry, ['k1'], file, 3), Admission.Duplicate);
    assert.equal(admit(registry, ['K1'], file, 4), Admission.Duplicate);
    assert.deepEqual(registry.duplicateSamples[0], {
      duplicate: { file: 'a.csv', line: 3 },
      originalFile: 'a.csv',
    });
    registry.close();
  });

  for (const slots of [16, 64, 1 << 16]) {
    it(`decides as an unbounded set would, with ${slots} slots in memory`, async () => {
      const random = seededRandom(slots);
      const ids = new CollectedIds();
      const work = await mkdtemp(join(dir, 'work-'));
      const registry = new RunDuplicateDetector(ids, work, slots);
      const kept = new Set<string>();
      const duplicates = [0, 0, 0];
      const expectedKept = new Set<string>();
      const expectedDuplicates = [0, 0, 0];
      const expectedIds: string[] = [];
      const reference = new Set<string>();
      let ord = 0;
      for (const file of [0, 1, 2]) {
        assert.equal(registry.addFile(`f${file}.csv`), file);
        for (let line = 2; line < 1500; line++) {
          const key = `row ${Math.floor(random() * 900)}`;
          const ok = key.endsWith('7') || key.endsWith('3');
          const row = [key, 'last', 'e@x.com', '19900101', '12345678', 'true', `id ${key}`];
          if (file !== 1) {
            if (reference.has(key)) expectedDuplicates[file] += 1;
            else {
              reference.add(key);
              expectedKept.add(`${file}:${line}`);
              if (ok) expectedIds.push(`${ord} ${file}:${line}`);
            }
          }
          ord += 1;
          const person = row.slice(0, 4).join(PERSON_SEPARATOR);
          const admission = admit(registry, [key], file, line);
          if (admission === Admission.Duplicate) duplicates[file] += 1;
          else if (admission === Admission.Deferred) {
            if (ok) registry.defer(file, line, csvLine(row), row[6], person);
            else registry.defer(file, line, csvLine(row));
          } else {
            kept.add(`${file}:${line}`);
            if (ok) registry.holdId(row[6], person, file, line);
          }
        }
        if (file === 1) {
          registry.discardFile(1); // rejected half way: its rows are forgotten
          for (const entry of kept) if (entry.startsWith('1:')) kept.delete(entry);
        }
      }
      assert.equal(registry.spilling, slots < 1 << 16);
      const written: string[] = [];
      const counts = await registry.resolveDeferred({
        addSuccessful: (line) => written.push(line),
        addFailed: (line) => written.push(line),
        congested: false,
        drained: async () => {},
      });
      registry.close();
      for (const [file, deferred] of counts) {
        duplicates[file] += deferred.duplicates;
        assert.equal(deferred.successful + deferred.failed + deferred.duplicates > 0, true);
      }
      assert.equal(registry.deferredRows > 0, slots < 1 << 16);
      const deferredKept = written.length;
      assert.equal(kept.size + deferredKept, expectedKept.size);
      assert.deepEqual(
        [duplicates[0], duplicates[2]],
        [expectedDuplicates[0], expectedDuplicates[2]],
      );
      assert.deepEqual(
        ids.rows.sort((a, b) => a.ord - b.ord).map((r) => `${r.ord} ${r.fileIndex}:${r.line}`),
        expectedIds,
      );
      // Deferred or not, an id arrives with its holder, and a kept line as it was written.
      for (const r of ids.rows) {
        const key = r.id.slice('id '.length);
        assert.equal(r.person, [key, 'last', 'e@x.com', '19900101'].join(PERSON_SEPARATOR));
      }
      for (const line of written)
        assert.match(line, /^row \d+,last,e@x.com,19900101,12345678,true,id row \d+\n$/);
      for (const entry of kept) assert.ok(expectedKept.has(entry), entry);
    });
  }
});
