import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Buying, CarRow, FEATURE_VALUES } from '../car/attributes';
import { allPartialCars, marginalise, PredictionTable } from './prediction-table';
import { FullFeatures } from './encoding';

const base = { maint: 'high', doors: '4', lug_boot: 'big', safety: 'high' };
const row = (buying: Buying, persons: string, cls: string, maint = 'high'): CarRow => ({
  buying,
  features: { ...base, maint, persons, class: cls } as FullFeatures,
});

/** A stand-in model whose answer depends on persons only, so weights are easy to check by hand. */
const byPersons: Record<string, number[]> = {
  '2': [0.7, 0.1, 0.1, 0.1],
  '4': [0.1, 0.5, 0.3, 0.1],
  more: [0.1, 0.1, 0.2, 0.6],
};
const fake = (car: FullFeatures) => byPersons[car.persons];

describe('marginalisation of missing features', () => {
  it('weights each value of a missing feature by its share of the matching rows', () => {
    // Matching rows (class acc): persons 2 once, 4 twice, more never → weights 1/3, 2/3, 0.
    const rows = [
      row('high', '2', 'acc'),
      row('med', '4', 'acc'),
      row('low', '4', 'acc'),
      row('vhigh', 'more', 'unacc'),
    ];
    const result = marginalise({ ...base, class: 'acc' }, fake, rows);
    const expected = [0, 1, 2, 3].map((i) => byPersons['2'][i] / 3 + (2 * byPersons['4'][i]) / 3);
    result.probabilities.forEach((p, i) => assert.ok(Math.abs(p - expected[i]) < 1e-12));
    assert.equal(result.matchingTrainingRows, 3);
    assert.deepEqual(result.missing, ['persons']);
    assert.equal(result.weightsFrom, 'matching rows');
  });

  it('falls back to rows of the same class when no row matches, and says so', () => {
    // No row has maint high with class good; good rows have persons 4 once and more three times.
    const rows = [
      row('low', '4', 'good', 'low'),
      row('low', 'more', 'good', 'low'),
      row('med', 'more', 'good', 'low'),
      row('low', 'more', 'good', 'med'),
      row('vhigh', '2', 'unacc'),
    ];
    const result = marginalise({ ...base, class: 'good' }, fake, rows);
    const expected = [0, 1, 2, 3].map((i) => byPersons['4'][i] / 4 + (3 * byPersons.more[i]) / 4);
    result.probabilities.forEach((p, i) => assert.ok(Math.abs(p - expected[i]) < 1e-12));
    assert.equal(result.matchingTrainingRows, 0);
    assert.equal(result.weightsFrom, 'rows of the same class');
  });

  it('passes a complete car straight to the model', () => {
    const result = marginalise({ ...base, persons: 'more', class: 'acc' }, fake, []);
    assert.deepEqual(result.probabilities, byPersons.more);
    assert.equal(result.weightsFrom, 'nothing missing');
  });
});

describe('prediction table', () => {
  it('agrees with marginalise on every request (fast path vs reference)', () => {
    const rows = [
      row('high', '2', 'acc'),
      row('med', '4', 'acc'),
      row('low', 'more', 'good', 'low'),
      row('vhigh', 'more', 'unacc'),
    ];
    const predictor = { predict: (cars: FullFeatures[]) => cars.map(fake) };
    const table = PredictionTable.fromPredictor(predictor, rows);
    for (const car of allPartialCars()) {
      const reference = marginalise(car, fake, rows);
      const fast = table.get(car);
      assert.equal(fast.matchingTrainingRows, reference.matchingTrainingRows);
      assert.equal(fast.weightsFrom, reference.weightsFrom);
      fast.probabilities.forEach((p, i) =>
        assert.ok(Math.abs(p - reference.probabilities[i]) < 1e-12),
      );
    }
  });

  it('covers every request: each feature given or missing', () => {
    const expected = Object.values(FEATURE_VALUES).reduce(
      (n, values) => n * (values.length + 1),
      1,
    );
    assert.equal(allPartialCars().length, expected);
    assert.equal(expected, 8000);
  });
});
