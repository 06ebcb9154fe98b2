import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyWeights, fitWeights } from './calibration';

describe('threshold calibration', () => {
  it('moves a threshold when that raises macro-F1 and keeps accuracy', () => {
    // Two cars of each: high at 0.45 is always wrongly beaten by vhigh at 0.55.
    const actual = [1, 1, 0, 0];
    const probabilities = [
      [0.55, 0.45, 0, 0],
      [0.55, 0.45, 0, 0],
      [0.9, 0.1, 0, 0],
      [0.9, 0.1, 0, 0],
    ];
    const fitted = fitWeights(actual, probabilities);
    assert.deepEqual(fitted.uncalibrated, { accuracy: 0.5, macroF1: (2 / 3 + 0) / 4 });
    assert.equal(fitted.accuracy, 1);
    assert.equal(fitted.macroF1, 0.5);
    assert.ok(0.45 * fitted.weights[1] > 0.55 * fitted.weights[0]);
    assert.ok(0.1 * fitted.weights[1] < 0.9 * fitted.weights[0]);
  });

  it('keeps all weights at 1 when nothing beats the uncalibrated macro-F1', () => {
    const fitted = fitWeights(
      [0, 1, 2, 3],
      [
        [0.7, 0.1, 0.1, 0.1],
        [0.1, 0.7, 0.1, 0.1],
        [0.1, 0.1, 0.7, 0.1],
        [0.1, 0.1, 0.1, 0.7],
      ],
    );
    assert.deepEqual(fitted.weights, [1, 1, 1, 1]);
    assert.equal(fitted.macroF1, 1);
  });

  it('renormalises weighted probabilities', () => {
    assert.deepEqual(applyWeights([0.5, 0.5, 0, 0], [1, 3, 1, 1]), [0.25, 0.75, 0, 0]);
  });
});
