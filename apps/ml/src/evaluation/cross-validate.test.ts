import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUYING_VALUES, CarRow, FEATURE_VALUES } from '../car/attributes';
import { lookupLearner, populationLimit } from './baselines';
import { crossValidate } from './cross-validate';
import { stratifiedFolds } from './folds';
import { evaluate } from './metrics';

/** 40 cars where class decides buying exactly (unacc→vhigh, acc→high, good→med, vgood→low). */
function syntheticRows(): CarRow[] {
  return Array.from({ length: 40 }, (_, i) => ({
    buying: BUYING_VALUES[i % 4],
    features: {
      maint: FEATURE_VALUES.maint[Math.floor(i / 4) % 4],
      doors: FEATURE_VALUES.doors[Math.floor(i / 16) % 4],
      persons: FEATURE_VALUES.persons[i % 3],
      lug_boot: FEATURE_VALUES.lug_boot[(i + 1) % 3],
      safety: FEATURE_VALUES.safety[(i + 2) % 3],
      class: FEATURE_VALUES.class[i % 4],
    },
  }));
}

describe('stratified folds', () => {
  it('deals every label evenly, repeats for a seed and changes with it', () => {
    const labels = Array.from({ length: 103 }, (_, i) => ['a', 'b', 'c'][i % 3]);
    const folds = stratifiedFolds(labels, 10, 7);
    const sizes = Array.from({ length: 10 }, (_, f) => folds.filter((x) => x === f).length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1);
    for (const label of ['a', 'b', 'c']) {
      const perFold = Array.from(
        { length: 10 },
        (_, f) => labels.filter((l, i) => l === label && folds[i] === f).length,
      );
      assert.ok(Math.max(...perFold) - Math.min(...perFold) <= 1, label);
    }
    assert.deepEqual(stratifiedFolds(labels, 10, 7), folds);
    assert.notDeepEqual(stratifiedFolds(labels, 10, 8), folds);
  });
});

describe('cross-validation harness', () => {
  it('gives the known answers on a synthetic set', () => {
    const [classOnly, majority] = crossValidate(
      syntheticRows(),
      [lookupLearner('class', ['class']), lookupLearner('majority', [])],
      { folds: 10, repetitions: 2, seed: 1 },
    );
    // Class decides buying: every held-out car is right. Each training cell holds 9 cars of one
    // value, so add-one smoothing gives the true value 10/13 and log-loss −ln(10/13).
    assert.equal(classOnly.accuracy.mean, 1);
    assert.equal(classOnly.macroF1.mean, 1);
    assert.ok(Math.abs(classOnly.logLoss.mean - Math.log(13 / 10)) < 1e-12);
    assert.deepEqual(classOnly.confusion, [
      [20, 0, 0, 0],
      [0, 20, 0, 0],
      [0, 0, 20, 0],
      [0, 0, 0, 20],
    ]);
    // Each fold holds one car per value, so training counts tie and the first value (vhigh) wins.
    assert.equal(majority.accuracy.mean, 0.25);
    assert.deepEqual(
      majority.confusion.map((row) => row[0]),
      [20, 20, 20, 20],
    );
    assert.ok(Math.abs(majority.logLoss.mean - Math.log(4)) < 1e-12);
  });

  it('computes the population limit as the majority within each cell', () => {
    const rows = syntheticRows();
    assert.equal(populationLimit(rows), 1);
    const blurred = rows.map((r) => ({ ...r, features: { ...r.features, class: 'unacc' } }));
    assert.ok(populationLimit(blurred) < 1);
  });
});

describe('metrics', () => {
  it('computes accuracy, macro-F1 and log-loss by hand', () => {
    // Predictions 0, 1, 1, 0 (the 0.5/0.5 tie goes to the first value) against 0, 0, 1, 1.
    const result = evaluate(
      [0, 0, 1, 1],
      [
        [0.9, 0.1],
        [0.4, 0.6],
        [0.2, 0.8],
        [0.5, 0.5],
      ],
      2,
    );
    assert.equal(result.accuracy, 0.5);
    assert.deepEqual(result.confusion, [
      [1, 1],
      [1, 1],
    ]);
    assert.equal(result.macroF1, 0.5);
    const expected = -(Math.log(0.9) + Math.log(0.4) + Math.log(0.8) + Math.log(0.5)) / 4;
    assert.ok(Math.abs(result.logLoss - expected) < 1e-12);
  });
});
