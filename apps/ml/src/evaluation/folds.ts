import { seededRandom } from '@des/shared';
import { shuffled } from '../model/random';

/**
 * Stratified k-fold assignment: each label's items are shuffled with the seed and dealt to the
 * folds in turn, continuing the turn across labels so fold sizes differ by at most one.
 * Returns the fold number of every item.
 */
export function stratifiedFolds(labels: readonly string[], k: number, seed: number): number[] {
  if (k < 2) throw new Error('k must be at least 2');
  const random = seededRandom(seed);
  const byLabel = new Map<string, number[]>();
  labels.forEach((label, i) => byLabel.set(label, [...(byLabel.get(label) ?? []), i]));
  const folds = new Array<number>(labels.length);
  let turn = 0;
  for (const label of [...byLabel.keys()].sort()) {
    for (const index of shuffled(byLabel.get(label)!, random)) folds[index] = turn++ % k;
  }
  return folds;
}
