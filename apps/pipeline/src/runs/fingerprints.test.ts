import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fingerprint, FingerprintTable } from './fingerprints';
import { RunRegistry } from './run-registry';

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

describe('RunRegistry', () => {
  it('keeps the first of equal rows and reports the rest', () => {
    const registry = new RunRegistry();
    const file = registry.addFile('a.csv');
    assert.equal(registry.isDuplicate(['k1'], file, 2), false);
    assert.equal(registry.isDuplicate(['k1'], file, 3), true);
    assert.deepEqual(registry.duplicateSamples, [
      { duplicate: { file: 'a.csv', line: 3 }, originalFile: 'a.csv' },
    ]);
  });

  it('counts a collision when another person gets the same id, not the same person twice', () => {
    const registry = new RunRegistry();
    const file = registry.addFile('a.csv');
    registry.holdId('Smith_abcde', ['jane smith'], file, 2);
    registry.holdId('Smith_abcde', ['jane smith'], file, 3);
    assert.equal(registry.collisions, 0);
    registry.holdId('Smith_abcde', ['john smith'], file, 4);
    assert.equal(registry.collisions, 1);
    assert.deepEqual(registry.collisionSamples[0], {
      membershipId: 'Smith_abcde',
      first: { file: 'a.csv', line: 2 },
      second: { file: 'a.csv', line: 4 },
    });
  });

  it('forgets the rows of a discarded file', () => {
    const registry = new RunRegistry();
    const bad = registry.addFile('bad.csv');
    registry.isDuplicate(['k1'], bad, 2);
    registry.holdId('Smith_abcde', ['jane'], bad, 2);
    registry.holdId('Smith_abcde', ['john'], bad, 3);
    registry.discardFile(bad);
    assert.equal(registry.collisions, 0);
    const good = registry.addFile('good.csv');
    assert.equal(registry.isDuplicate(['k1'], good, 2), false);
    registry.holdId('Smith_abcde', ['john'], good, 2);
    assert.equal(registry.collisions, 0);
    assert.deepEqual(registry.collisionSamples, []);
  });
});
