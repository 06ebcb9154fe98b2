/** Index of the largest probability; ties go to the first (BUYING_VALUES order), so it is deterministic. */
export function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

export interface Metrics {
  accuracy: number;
  macroF1: number;
  /** Mean negative log-likelihood of the true label, probabilities clipped at 1e-15 as in scikit-learn. */
  logLoss: number;
  /** confusion[actual][predicted] counts. */
  confusion: number[][];
}

export function confusionMatrix(
  actual: number[],
  predicted: number[],
  classes: number,
): number[][] {
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  actual.forEach((a, i) => matrix[a][predicted[i]]++);
  return matrix;
}

export interface ClassFigures {
  precision: number;
  recall: number;
  f1: number;
  /** Rows whose actual value is this one. */
  support: number;
  /** Rows predicted as this value. */
  predicted: number;
}

/** Precision, recall and F1 of each value (0 where undefined: never predicted or never present). */
export function perClass(confusion: number[][]): ClassFigures[] {
  return confusion.map((row, c) => {
    const truePositives = row[c];
    const predicted = confusion.reduce((sum, r) => sum + r[c], 0);
    const support = row.reduce((sum, v) => sum + v, 0);
    const precision = predicted ? truePositives / predicted : 0;
    const recall = support ? truePositives / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { precision, recall, f1, support, predicted };
  });
}

export function macroF1(confusion: number[][]): number {
  const scores = perClass(confusion);
  return scores.reduce((sum, s) => sum + s.f1, 0) / scores.length;
}

export function evaluate(actual: number[], probabilities: number[][], classes: number): Metrics {
  const predicted = probabilities.map(argmax);
  const confusion = confusionMatrix(actual, predicted, classes);
  const correct = actual.filter((a, i) => a === predicted[i]).length;
  const logLoss =
    actual.reduce((sum, a, i) => sum - Math.log(Math.max(probabilities[i][a], 1e-15)), 0) /
    actual.length;
  return { accuracy: correct / actual.length, macroF1: macroF1(confusion), logLoss, confusion };
}
