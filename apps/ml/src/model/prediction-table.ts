import {
  BUYING_VALUES,
  CarFeatures,
  CarRow,
  Feature,
  FEATURE_VALUES,
  FEATURES,
} from '../car/attributes';
import { Predictor } from './classifier';
import { allCombinations, carKey, FullFeatures } from './encoding';

/** Where the weights over the values of missing features came from. */
export type WeightSource =
  'nothing missing' | 'matching rows' | 'rows of the same class' | 'all rows';

export interface Prediction {
  /** Probability of each buying value, in BUYING_VALUES order. */
  probabilities: number[];
  /** Training rows agreeing with every given feature; 0 means the answer is an extrapolation. */
  matchingTrainingRows: number;
  missing: Feature[];
  weightsFrom: WeightSource;
}

const matches = (row: CarRow, car: CarFeatures, features: Feature[]) =>
  features.every((f) => row.features[f] === car[f]);

/**
 * The predicted distribution for a car with some features missing: the average of the model's
 * distributions over the missing features' values, weighted by how often each completion occurs
 * among training rows that agree with the given features. Averaging the model's prediction at
 * each agreeing row's values does exactly that. When no row agrees (an unseen combination), the
 * weights come from rows of the same class (class is what ties the attributes together in this
 * full-factorial data set: e.g. a `good` car never seats 2), else from all rows.
 */
export function marginalise(
  car: CarFeatures,
  predictFull: (full: FullFeatures) => number[],
  rows: CarRow[],
): Prediction {
  const given = FEATURES.filter((f) => car[f] !== undefined);
  const missing = FEATURES.filter((f) => car[f] === undefined);
  const agreeing = rows.filter((row) => matches(row, car, given));
  if (missing.length === 0) {
    return {
      probabilities: predictFull(car as FullFeatures),
      matchingTrainingRows: agreeing.length,
      missing,
      weightsFrom: 'nothing missing',
    };
  }
  let weightsFrom: WeightSource = 'matching rows';
  let weighting = agreeing;
  if (weighting.length === 0 && car.class !== undefined) {
    weightsFrom = 'rows of the same class';
    weighting = rows.filter((row) => row.features.class === car.class);
  }
  if (weighting.length === 0) {
    weightsFrom = 'all rows';
    weighting = rows;
  }
  const sum = BUYING_VALUES.map(() => 0);
  for (const row of weighting) {
    const completed = { ...row.features, ...definedOnly(car) } as FullFeatures;
    predictFull(completed).forEach((p, i) => (sum[i] += p));
  }
  return {
    probabilities: sum.map((s) => s / weighting.length),
    matchingTrainingRows: agreeing.length,
    missing,
    weightsFrom,
  };
}

function definedOnly(car: CarFeatures): CarFeatures {
  return Object.fromEntries(Object.entries(car).filter(([, v]) => v !== undefined));
}

/** Every car the API can be asked about: each feature given (any value) or missing. */
export function allPartialCars(): CarFeatures[] {
  let cars: CarFeatures[] = [{}];
  for (const feature of FEATURES) {
    cars = cars.flatMap((partial) => [
      partial,
      ...FEATURE_VALUES[feature].map((value) => ({ ...partial, [feature]: value })),
    ]);
  }
  return cars;
}

/**
 * Answers for all 5·5·4·4·4·5 = 8000 possible requests, computed once: the model runs once on the
 * 1728 complete cars, marginals are averages of those outputs, so serving a prediction is a map
 * lookup rather than a TensorFlow call.
 */
export class PredictionTable {
  private constructor(private readonly entries: Map<string, Prediction>) {}

  static fromPredictor(predictor: Predictor, rows: CarRow[]): PredictionTable {
    const complete = allCombinations();
    const outputs = predictor.predict(complete);
    const byKey = new Map(complete.map((car, i) => [carKey(car), outputs[i]]));
    const predictFull = (car: FullFeatures) => byKey.get(carKey(car))!;
    // A row matching the given features completes them with its own values, so the marginal of
    // every request that has matching rows is the mean model output over those rows: one pass
    // over rows × subsets of features. Requests without matching rows take marginalise's path.
    const sums = accumulate(rows, (row) => predictFull(row.features));
    return PredictionTable.build((car) => {
      const matching = sums.get(carKey(car));
      const missing = FEATURES.filter((f) => car[f] === undefined);
      if (!matching || missing.length === 0) return marginalise(car, predictFull, rows);
      return {
        probabilities: matching.sum.map((s) => s / matching.rows),
        matchingTrainingRows: matching.rows,
        missing,
        weightsFrom: 'matching rows',
      };
    });
  }

  private static build(answer: (car: CarFeatures) => Prediction): PredictionTable {
    return new PredictionTable(new Map(allPartialCars().map((car) => [carKey(car), answer(car)])));
  }

  get size(): number {
    return this.entries.size;
  }

  get(car: CarFeatures): Prediction {
    const entry = this.entries.get(carKey(car));
    if (!entry)
      throw new Error(`No prediction for ${carKey(car)}: values must be normalised first`);
    return entry;
  }
}

/** For every request key a row matches (each subset of its features), the row count and the sum of `value(row)`. */
function accumulate(
  rows: CarRow[],
  value: (row: CarRow) => number[],
): Map<string, { rows: number; sum: number[] }> {
  const sums = new Map<string, { rows: number; sum: number[] }>();
  for (const row of rows) {
    const v = value(row);
    for (let mask = 0; mask < 1 << FEATURES.length; mask++) {
      const key = FEATURES.map((f, i) => (mask & (1 << i) ? row.features[f] : '-')).join(',');
      let entry = sums.get(key);
      if (!entry) {
        entry = { rows: 0, sum: v.map(() => 0) };
        sums.set(key, entry);
      }
      entry.rows++;
      v.forEach((x, i) => (entry.sum[i] += x));
    }
  }
  return sums;
}
