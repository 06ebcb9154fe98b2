import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROUND_ORDERS, rotationOf } from './rotation';

/** Walks `rounds` rounds as a visitor would, drawing the next round's order at random. */
function walk(bannerIds: number[], rounds: number): number[] {
  const { orders, follows } = rotationOf(7, bannerIds);
  let k = Math.floor(Math.random() * orders.length);
  const seen: number[] = [];
  for (let round = 0; round < rounds; round++) {
    seen.push(...orders[k].map((index) => bannerIds[index]));
    k = follows[k][Math.floor(Math.random() * follows[k].length)];
  }
  return seen;
}

describe('rotation', () => {
  for (const size of [2, 3, 5, 10]) {
    it(`${size} banners: every round is the whole set, never the same banner twice in a row across 500 rounds`, () => {
      const ids = Array.from({ length: size }, (_, i) => 100 + i);
      const seen = walk(ids, 500);
      for (let i = 1; i < seen.length; i++) assert.notEqual(seen[i], seen[i - 1], `at ${i}`);
      for (let r = 0; r < seen.length; r += size)
        assert.deepEqual([...seen.slice(r, r + size)].sort(), ids);
    });
  }

  it('one banner: serves it every time', () => {
    assert.deepEqual(walk([5], 3), [5, 5, 5]);
  });

  it('draws the rounds from several orders, the same on every replica for the same collection', () => {
    const ids = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const a = rotationOf(7, ids);
    assert.equal(a.orders.length, ROUND_ORDERS);
    assert.ok(new Set(a.orders.map((o) => o.join(','))).size > ROUND_ORDERS / 2);
    assert.deepEqual(rotationOf(7, ids), a);
    assert.notDeepEqual(rotationOf(8, ids).orders, a.orders);
  });
});
