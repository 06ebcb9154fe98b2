import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CANDIDATES, DIRECT_CANDIDATES } from '../training/candidates';
import { allCombinations, decode, encode, hotColumns, inputWidth } from './encoding';

describe('one-hot encoding', () => {
  const groups = DIRECT_CANDIDATES[DIRECT_CANDIDATES.length - 1].groups;

  it('round-trips every one of the 1728 cars', () => {
    const cars = allCombinations();
    assert.equal(cars.length, 1728);
    for (const car of cars) assert.deepEqual(decode(groups, encode(groups, car)), car);
  });

  it('sets exactly one column per block, interactions included', () => {
    const car = {
      maint: 'high',
      doors: '4',
      persons: 'more',
      lug_boot: 'big',
      safety: 'high',
      class: 'good',
    };
    const vector = encode(groups, car);
    assert.equal(vector.length, inputWidth(groups));
    assert.equal(
      vector.reduce((sum, v) => sum + v, 0),
      groups.length,
    );
    assert.equal(new Set(hotColumns(groups, car)).size, groups.length);
    // Main blocks take 4+4+4+3+3+3 = 21 columns; in the class×maint block that follows,
    // class good (index 2) × maint high (index 1) is column 2·4 + 1.
    assert.deepEqual(groups[6].features, ['class', 'maint']);
    assert.equal(hotColumns(groups, car)[6], 21 + 2 * 4 + 1);
  });

  it('encodes buying and the price and tech blocks of the class model', () => {
    const classGroups = CANDIDATES[0].groups;
    const car = {
      buying: 'low',
      maint: 'high',
      doors: '4',
      persons: 'more',
      lug_boot: 'big',
      safety: 'high',
    };
    const hot = hotColumns(classGroups, car);
    assert.equal(inputWidth(classGroups), 21 + 16 + 108);
    assert.equal(new Set(hot).size, classGroups.length);
    // Main blocks: buying, maint, doors, persons, lug_boot, safety (21 columns); then
    // buying×maint (low = 3, high = 1: column 3·4 + 1) and doors×persons×lug_boot×safety
    // (4 = 2, more = 2, big = 2, high = 2: column ((2·3 + 2)·3 + 2)·3 + 2).
    assert.deepEqual(classGroups[6].features, ['buying', 'maint']);
    assert.equal(hot[6], 21 + 3 * 4 + 1);
    assert.equal(hot[7], 21 + 16 + ((2 * 3 + 2) * 3 + 2) * 3 + 2);
    assert.throws(() => hotColumns(classGroups, { ...car, buying: undefined }), /buying/);
  });

  it('refuses values outside the data set', () => {
    const car = {
      maint: 'cheap',
      doors: '4',
      persons: 'more',
      lug_boot: 'big',
      safety: 'high',
      class: 'good',
    };
    assert.throws(() => encode(groups, car), /maint: unknown value "cheap"/);
  });
});
