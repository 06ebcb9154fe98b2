import { CarRow } from '../car/attributes';
import { BASELINES, LookupPredictor, populationLimit } from '../evaluation/baselines';
import { FittedWeights, fitWeights } from '../evaluation/calibration';
import {
  crossValidate,
  CvOptions,
  CvResult,
  CvResultWithPredictions,
  Learner,
} from '../evaluation/cross-validate';
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
    /** The same procedure plus threshold calibration fitted on the inner CV's predictions. */
    calibrated?: CvResult;
    baselines: CvResult[];
    previous?: CvResult;
    chosen: Record<string, number>;
  };
  /** Whether the final model applies threshold calibration, and why. */
  calibration?: CalibrationChoice;
  /** Candidates compared on the full data (this picks the final model; optimistic for the winner). */
  selection: CvResult[];
  selected: string;
  population: PopulationFigures;
  trainingMs: { evaluation: number; finalModel: number };
}

export interface CalibrationChoice {
  kept: boolean;
  rule: string;
  /** Weights fitted on the final candidate comparison's out-of-fold predictions (all rows). */
  weights: number[];
  /** Their effect on those predictions (optimistic: fitted on them). */
  fitted: Omit<FittedWeights, 'weights'>;
}

const CALIBRATION_RULE =
  'Threshold calibration is kept when, in the nested CV, it raises macro-F1 without lowering accuracy (means over repetitions).';

/** A CV result as stored: the out-of-fold predictions are only needed while fitting. */
const stored = ({ outOfFold: _predictions, ...result }: CvResultWithPredictions): CvResult =>
  result;

/** Weights fitted on every repetition's out-of-fold predictions of one result. */
function calibrate(rows: CarRow[], result: CvResultWithPredictions): FittedWeights {
  const actual = rows.map((r) => buyingIndex(r.buying));
  return fitWeights(
    result.outOfFold.flatMap(() => actual),
    result.outOfFold.flat(),
  );
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
): { best: ModelConfig; results: CvResultWithPredictions[]; winner: CvResultWithPredictions } {
  const results = crossValidate(
    rows,
    candidates.map((c) => candidateLearner(tf, c)),
    cv,
  );
  const winner = [...results].sort(bySelectionRule)[0];
  return { best: candidates[results.indexOf(winner)], results, winner };
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
  // Both nested learners share one inner CV per outer training set (crossValidate hands every
  // learner the same array for a fold): the candidate it picks, and weights fitted on its
  // out-of-fold predictions there.
  const innerChoices = new WeakMap<CarRow[], { best: ModelConfig; weights: number[] }>();
  const innerChoice = (train: CarRow[]) => {
    let choice = innerChoices.get(train);
    if (!choice) {
      const { best, winner } = selectCandidate(tf, train, candidates, {
        folds: options.innerFolds,
        repetitions: 1,
        seed: options.seed + 1000,
      });
      chosen[best.name] = (chosen[best.name] ?? 0) + 1;
      choice = { best, weights: calibrate(train, winner).weights };
      log(`outer fold: chose ${best.name}, calibration weights ${choice.weights.join(' ')}`);
      innerChoices.set(train, choice);
    }
    return choice;
  };
  const selecting: Learner = {
    name: 'model (candidate chosen by inner CV)',
    fit: (train) => BuyingClassifier.train(tf, innerChoice(train).best, train),
  };
  const calibrating: Learner = {
    name: 'model + threshold calibration (weights fitted on the inner CV)',
    fit: (train) => {
      const { best, weights } = innerChoice(train);
      return BuyingClassifier.train(tf, { ...best, decisionWeights: weights }, train);
    },
  };
  log(
    `nested CV: ${options.nestedRepetitions}× ${options.folds}-fold outer, ${options.innerFolds}-fold inner, ${candidates.length} candidates`,
  );
  const previousModel = candidateLearner(tf, { ...PREVIOUS_MODEL, seed: options.seed });
  previousModel.name = `previous model: ${PREVIOUS_MODEL.name} (fixed)`;
  const [model, calibrated, previous, ...baselines] = crossValidate(
    rows,
    [selecting, calibrating, previousModel, ...BASELINES],
    { folds: options.folds, repetitions: options.nestedRepetitions, seed: options.seed },
  ).map(stored);

  log(`selection: ${options.selectionRepetitions}× ${options.folds}-fold CV of each candidate`);
  const { best, results, winner } = selectCandidate(tf, rows, candidates, {
    folds: options.folds,
    repetitions: options.selectionRepetitions,
    seed: options.seed + 2000,
  });
  const selection = results.map(stored);
  const { weights, ...fitted } = calibrate(rows, winner);
  const kept =
    calibrated.macroF1.mean > model.macroF1.mean &&
    calibrated.accuracy.mean >= model.accuracy.mean &&
    weights.some((w) => w !== 1);
  const finalConfig: ModelConfig = kept
    ? { ...best, name: `${best.name} + threshold calibration`, decisionWeights: weights }
    : best;
  const evaluationMs = Date.now() - started;

  log(`final model: ${finalConfig.name}`);
  const finalStarted = Date.now();
  const classifier = BuyingClassifier.train(tf, finalConfig, rows);
  const finalModelMs = Date.now() - finalStarted;

  return {
    classifier,
    evaluation: {
      protocol:
        'Nested repeated stratified cross-validation: outer folds only score; inside each outer ' +
        'training set an inner stratified CV picks the candidate with the best accuracy (ties: ' +
        'lower log-loss), which is then trained on that outer training set. The final ' +
        'configuration is picked by the same rule on all rows and trained on all rows. ' +
        CALIBRATION_RULE,
      rows: rows.length,
      dataSha256: data.sha256,
      backend,
      options: { ...options, candidates: undefined },
      nested: { model, calibrated, baselines, previous, chosen },
      calibration: { kept, rule: CALIBRATION_RULE, weights, fitted },
      selection,
      selected: finalConfig.name,
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
