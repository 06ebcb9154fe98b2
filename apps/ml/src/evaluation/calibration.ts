import { BUYING_VALUES } from '../car/attributes';
import { evaluate } from './metrics';

/**
 * Threshold calibration: one weight per buying value multiplies the predicted probabilities
 * (renormalised), which moves the decision thresholds between values. The first value's weight
 * is fixed at 1 (only ratios matter). Candidate weights close to 1 only reorder exact ties;
 * the others move real thresholds.
 */
export const WEIGHT_GRID = [0.7, 0.8, 0.9, 0.95, 0.99, 1, 1.01, 1.05, 1.1, 1.25, 1.5];

export function applyWeights(probabilities: number[], weights: readonly number[]): number[] {
  const weighted = probabilities.map((p, i) => p * weights[i]);
  const total = weighted.reduce((sum, p) => sum + p, 0);
  return weighted.map((p) => p / total);
}

export interface FittedWeights {
  weights: number[];
  macroF1: number;
  accuracy: number;
  /** The same figures without weights, on the same predictions. */
  uncalibrated: { macroF1: number; accuracy: number };
}

/**
 * The weights (from WEIGHT_GRID) with the best macro-F1 on out-of-fold predictions among those
 * that keep accuracy at least at its uncalibrated level; all ones when nothing beats it.
 * Ties in macro-F1 go to the first weights found, so the search is deterministic.
 */
export function fitWeights(actual: number[], probabilities: number[][]): FittedWeights {
  const k = BUYING_VALUES.length;
  const score = (weights: number[]) =>
    evaluate(
      actual,
      probabilities.map((p) => applyWeights(p, weights)),
      k,
    );
  const ones = BUYING_VALUES.map(() => 1);
  const plain = score(ones);
  let best = { weights: ones, macroF1: plain.macroF1, accuracy: plain.accuracy };
  const visit = (prefix: number[]) => {
    if (prefix.length === k) {
      const { macroF1, accuracy } = score(prefix);
      if (accuracy >= plain.accuracy && macroF1 > best.macroF1)
        best = { weights: prefix, macroF1, accuracy };
      return;
    }
    for (const w of WEIGHT_GRID) visit([...prefix, w]);
  };
  visit([1]);
  return { ...best, uncalibrated: { macroF1: plain.macroF1, accuracy: plain.accuracy } };
}
