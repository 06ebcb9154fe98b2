import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normaliseValue } from './attributes';
import { parseCarRows } from './car-data';

describe('normaliseValue', () => {
  it('accepts the data set spellings and obvious variants', () => {
    assert.equal(normaliseValue('maint', 'High'), 'high');
    assert.equal(normaliseValue('maint', ' VHIGH '), 'vhigh');
    assert.equal(normaliseValue('maint', 'very high'), 'vhigh');
    assert.equal(normaliseValue('safety', 'medium'), 'med');
    assert.equal(normaliseValue('doors', 4), '4');
    assert.equal(normaliseValue('doors', '5more'), '5more');
    assert.equal(normaliseValue('doors', '5+'), '5more');
    assert.equal(normaliseValue('doors', 'more'), '5more');
    assert.equal(normaliseValue('doors', 6), '5more');
    assert.equal(normaliseValue('persons', 2), '2');
    assert.equal(normaliseValue('persons', '5more'), 'more');
    assert.equal(normaliseValue('persons', '5+'), 'more');
    assert.equal(normaliseValue('class', 'Very Good'), 'vgood');
  });

  it('rejects anything else', () => {
    for (const [feature, value] of [
      ['maint', 'pricey'],
      ['safety', 'very high'],
      ['doors', 1],
      ['doors', 4.5],
      ['persons', 3],
      ['persons', '3'],
      ['class', true],
      ['lug_boot', ''],
    ] as const) {
      assert.equal(normaliseValue(feature, value), undefined, `${feature}=${String(value)}`);
    }
  });
});

describe('parseCarRows', () => {
  it('names the line and column of every bad value', () => {
    assert.throws(
      () =>
        parseCarRows(
          'vhigh,vhigh,2,2,small,low,unacc\ncheap,vhigh,2,2,small,low,unacc\nlow,low,9,2\n',
          'x.data',
        ),
      (error: Error) =>
        /x\.data:2: buying: "cheap"/.test(error.message) &&
        /x\.data:3: expected 7 columns, got 4/.test(error.message),
    );
  });
});
