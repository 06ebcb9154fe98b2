import { BUYING_VALUES, CarRow } from '../car/attributes';
import { Predictor } from '../model/classifier';
import { buyingIndex } from '../model/encoding';
import { stratifiedFolds } from './folds';
import { evaluate, Metrics } from './metrics';

/** Something that can be trained on rows; CV calls it once per fold. */
export interface Learner {
  name: string;
  fit(rows: CarRow[]): Predictor & { dispose?(): void };
}

export interface CvOptions {
  folds: number;
  repetitions: number;
  /** Repetition r uses seed + r for its folds. */
  seed: number;
}

/** A result with every repetition's out-of-fold predictions, for fitting what comes after. */
export interface CvResultWithPredictions extends CvResult {
  /** outOfFold[repetition][row]: the predicted distribution of a model that never saw the row. */
  outOfFold: number[][][];
}

export interface Summary {
  mean: number;
  sd: number;
}

export interface CvResult {
  name: string;
  accuracy: Summary;
  macroF1: Summary;
  logLoss: Summary;
  /** Summed over repetitions: confusion[actual][predicted], each repetition predicts every row once. */
  confusion: number[][];
  /** Pooled out-of-fold metrics of each repetition. */
  perRepetition: Array<Omit<Metrics, 'confusion'>>;
}

export function summarise(values: number[]): Summary {
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const variance =
    values.length > 1
      ? values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1)
      : 0;
  return { mean, sd: Math.sqrt(variance) };
}

/**
 * Repeated stratified k-fold cross-validation of several learners on the same folds (so their
 * differences are paired). Every repetition predicts each row once from a model that never saw it;
 * metrics are computed on those pooled out-of-fold predictions and summarised over repetitions.
 */
export function crossValidate(
  rows: CarRow[],
  learners: Learner[],
  options: CvOptions,
): CvResultWithPredictions[] {
  const actual = rows.map((r) => buyingIndex(r.buying));
  const labels = rows.map((r) => r.buying);
  const perLearner = learners.map(() => [] as Metrics[]);
  const predictions = learners.map(() => [] as number[][][]);
  for (let rep = 0; rep < options.repetitions; rep++) {
    const folds = stratifiedFolds(labels, options.folds, options.seed + rep);
    const outOfFold = learners.map(() => new Array<number[]>(rows.length));
    for (let fold = 0; fold < options.folds; fold++) {
      const train = rows.filter((_, i) => folds[i] !== fold);
      const testIndices = folds.flatMap((f, i) => (f === fold ? [i] : []));
      learners.forEach((learner, l) => {
        const predictor = learner.fit(train);
        const predicted = predictor.predict(testIndices.map((i) => rows[i].features));
        testIndices.forEach((rowIndex, j) => (outOfFold[l][rowIndex] = predicted[j]));
        predictor.dispose?.();
      });
    }
    learners.forEach((_, l) => {
      perLearner[l].push(evaluate(actual, outOfFold[l], BUYING_VALUES.length));
      predictions[l].push(outOfFold[l]);
    });
  }
  return learners.map((learner, l) => {
    const metrics = perLearner[l];
    const confusion = metrics[0].confusion.map((row, a) =>
      row.map((_, p) => metrics.reduce((sum, m) => sum + m.confusion[a][p], 0)),
    );
    return {
      name: learner.name,
      accuracy: summarise(metrics.map((m) => m.accuracy)),
      macroF1: summarise(metrics.map((m) => m.macroF1)),
      logLoss: summarise(metrics.map((m) => m.logLoss)),
      confusion,
      perRepetition: metrics.map(({ confusion: _c, ...rest }) => rest),
      outOfFold: predictions[l],
    };
  });
}
