import { BUYING_VALUES, CarRow, Feature, FEATURES } from '../car/attributes';
import { Predictor } from '../model/classifier';
import { buyingIndex, FullFeatures } from '../model/encoding';
import { argmax } from './metrics';
import { Learner } from './cross-validate';

/**
 * Frequencies of the buying values among training rows sharing the chosen columns, with add-one
 * smoothing so a value unseen in a cell keeps a finite log-loss (the argmax is unchanged).
 * No columns gives the majority-class predictor; all six gives the full lookup table.
 */
export class LookupPredictor implements Predictor {
  private readonly counts = new Map<string, number[]>();
  private readonly prior: number[];

  constructor(
    private readonly columns: Feature[],
    rows: CarRow[],
    private readonly smoothing = 1,
  ) {
    const overall = BUYING_VALUES.map(() => 0);
    for (const row of rows) {
      const key = this.key(row.features);
      const cell = this.counts.get(key) ?? BUYING_VALUES.map(() => 0);
      cell[buyingIndex(row.buying)]++;
      overall[buyingIndex(row.buying)]++;
      this.counts.set(key, cell);
    }
    this.prior = normalise(overall);
  }

  predict(cars: FullFeatures[]): number[][] {
    return cars.map((car) => {
      const cell = this.counts.get(this.key(car));
      return cell ? normalise(cell.map((c) => c + this.smoothing)) : this.prior;
    });
  }

  private key(car: FullFeatures): string {
    return this.columns.map((c) => car[c]).join(',');
  }
}

function normalise(values: number[]): number[] {
  const total = values.reduce((sum, v) => sum + v, 0);
  return values.map((v) => v / total);
}

export const lookupLearner = (name: string, columns: Feature[]): Learner => ({
  name,
  fit: (rows) => new LookupPredictor(columns, rows),
});

/** The baselines computed next to the model in every run. */
export const BASELINES: Learner[] = [
  lookupLearner('majority class', []),
  lookupLearner('class-only lookup', ['class']),
  lookupLearner('full lookup table', [...FEATURES]),
];

/**
 * Accuracy of the best possible predictor on the whole population: in each cell of the six
 * predictors, predict its most frequent buying value. The data set is the population (a full
 * factorial), so this is the ceiling for any model scored on it (0.358 for car.data).
 */
export function populationLimit(rows: CarRow[]): number {
  const cells = new Map<string, number[]>();
  for (const row of rows) {
    const key = FEATURES.map((f) => row.features[f]).join(',');
    const cell = cells.get(key) ?? BUYING_VALUES.map(() => 0);
    cell[buyingIndex(row.buying)]++;
    cells.set(key, cell);
  }
  let best = 0;
  for (const cell of cells.values()) best += cell[argmax(cell)];
  return best / rows.length;
}
