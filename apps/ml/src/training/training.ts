import { CarRow } from '../car/attributes';
import { BASELINES, LookupPredictor, populationLimit } from '../evaluation/baselines';
import { crossValidate, CvOptions, CvResult, Learner } from '../evaluation/cross-validate';
import { evaluate } from '../evaluation/metrics';
import { BuyingClassifier, ModelConfig, Predictor } from '../model/classifier';
import { buyingIndex } from '../model/encoding';
import { Tf } from '../model/tf-backend';
import { CANDIDATES, PREVIOUS_MODEL } from './candidates';

export interface TrainOptions {
  /** Outer folds of the evaluation and folds of the final selection (10). */
  folds: number;
  /** Repetitions of the nested cross-validation that estimates the whole procedure. */
  nestedRepetitions: number;
  /** Inner folds used to pick a candidate inside each outer training set. */
  innerFolds: number;
  /** Repetitions of the candidate comparison on the full data that picks the final model. */
  selectionRepetitions: number;
  seed: number;
  candidates?: Array<Omit<ModelConfig, 'seed'>>;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  folds: 10,
  nestedRepetitions: 3,
  innerFolds: 10,
  selectionRepetitions: 3,
  seed: 20260,
};

export interface PopulationFigures {
  /** Best accuracy any predictor can reach on the data set (majority buying value per cell). */
  limit: number;
  /** The final model trained and scored on all rows. */
  model: number;
  classOnlyLookup: number;
}

export interface Evaluation {
  protocol: string;
  rows: number;
  dataSha256: string;
  backend: string;
  options: TrainOptions;
  /**
   * Nested CV of the model-selection procedure and the baselines, on the same outer folds, with
   * the previous (protocol 2) direct model's fixed configuration beside them for comparison.
   */
  nested: {
    model: CvResult;
    baselines: CvResult[];
    previous?: CvResult;
    chosen: Record<string, number>;
  };
  /** Candidates compared on the full data (this picks the final model; optimistic for the winner). */
  selection: CvResult[];
  selected: string;
  population: PopulationFigures;
  trainingMs: { evaluation: number; finalModel: number };
}

const bySelectionRule = (a: CvResult, b: CvResult) =>
  b.accuracy.mean - a.accuracy.mean || a.logLoss.mean - b.logLoss.mean;

export function candidateLearner(tf: Tf, config: ModelConfig): Learner {
  return { name: config.name, fit: (rows) => BuyingClassifier.train(tf, config, rows) };
}

/** Picks by CV accuracy (the goal), breaking ties by log-loss. */
export function selectCandidate(
  tf: Tf,
  rows: CarRow[],
  candidates: ModelConfig[],
  cv: CvOptions,
): { best: ModelConfig; results: CvResult[] } {
  const results = crossValidate(
    rows,
    candidates.map((c) => candidateLearner(tf, c)),
    cv,
  );
  const winner = [...results].sort(bySelectionRule)[0];
  return { best: candidates[results.indexOf(winner)], results };
}

/**
 * Trains the final model honestly: (1) nested CV estimates the accuracy of the whole procedure
 * "pick the best candidate by inner CV, then train it", next to the baselines on the same folds;
 * the outer test folds never influence the choice. (2) The same rule applied to all rows picks
 * the final configuration, which is (3) trained on all rows.
 */
export function trainWithEvaluation(
  tf: Tf,
  backend: string,
  data: { rows: CarRow[]; sha256: string },
  options: TrainOptions = DEFAULT_TRAIN_OPTIONS,
  log: (message: string) => void = () => undefined,
): { classifier: BuyingClassifier; evaluation: Evaluation } {
  const { rows } = data;
  const candidates = (options.candidates ?? CANDIDATES).map((c) => ({ ...c, seed: options.seed }));
  const started = Date.now();

  const chosen: Record<string, number> = {};
  const selecting: Learner = {
    name: 'model (candidate chosen by inner CV)',
    fit: (train) => {
      const { best } = selectCandidate(tf, train, candidates, {
        folds: options.innerFolds,
        repetitions: 1,
        seed: options.seed + 1000,
      });
      chosen[best.name] = (chosen[best.name] ?? 0) + 1;
      log(`outer fold: chose ${best.name}`);
      return BuyingClassifier.train(tf, best, train);
    },
  };
  log(
    `nested CV: ${options.nestedRepetitions}× ${options.folds}-fold outer, ${options.innerFolds}-fold inner, ${candidates.length} candidates`,
  );
  const previousModel = candidateLearner(tf, { ...PREVIOUS_MODEL, seed: options.seed });
  previousModel.name = `previous model: ${PREVIOUS_MODEL.name} (fixed)`;
  const [model, previous, ...baselines] = crossValidate(
    rows,
    [selecting, previousModel, ...BASELINES],
    { folds: options.folds, repetitions: options.nestedRepetitions, seed: options.seed },
  );

  log(`selection: ${options.selectionRepetitions}× ${options.folds}-fold CV of each candidate`);
  const { best, results: selection } = selectCandidate(tf, rows, candidates, {
    folds: options.folds,
    repetitions: options.selectionRepetitions,
    seed: options.seed + 2000,
  });
  const evaluationMs = Date.now() - started;

  log(`final model: ${best.name}`);
  const finalStarted = Date.now();
  const classifier = BuyingClassifier.train(tf, best, rows);
  const finalModelMs = Date.now() - finalStarted;

  return {
    classifier,
    evaluation: {
      protocol:
        'Nested repeated stratified cross-validation: outer folds only score; inside each outer ' +
        'training set an inner stratified CV picks the candidate with the best accuracy (ties: ' +
        'lower log-loss), which is then trained on that outer training set. The final ' +
        'configuration is picked by the same rule on all rows and trained on all rows.',
      rows: rows.length,
      dataSha256: data.sha256,
      backend,
      options: { ...options, candidates: undefined },
      nested: { model, baselines, previous, chosen },
      selection,
      selected: best.name,
      population: {
        limit: populationLimit(rows),
        model: populationAccuracy(classifier, rows),
        classOnlyLookup: populationAccuracy(new LookupPredictor(['class'], rows), rows),
      },
      trainingMs: { evaluation: evaluationMs, finalModel: finalModelMs },
    },
  };
}

/** Accuracy on every row of the data set (the whole population of cars) of a model trained on it. */
export function populationAccuracy(predictor: Predictor, rows: CarRow[]): number {
  const probabilities = predictor.predict(rows.map((r) => r.features));
  return evaluate(
    rows.map((r) => buyingIndex(r.buying)),
    probabilities,
    4,
  ).accuracy;
}
