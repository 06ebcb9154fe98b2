import { BUYING_VALUES, Buying } from '../car/attributes';
import { CvResult } from '../evaluation/cross-validate';
import { ClassFigures, perClass } from '../evaluation/metrics';
import { Evaluation } from './training';

export interface PredictorQuality {
  name: string;
  accuracy: number;
  macroF1: number;
  logLoss: number;
  /** Precision, recall and F1 of each buying value, from the summed confusion matrix. */
  perClass: Record<Buying, ClassFigures>;
}

const round3 = (x: number) => Number(x.toFixed(3));

export function qualityOf(result: CvResult): PredictorQuality {
  const figures = perClass(result.confusion);
  return {
    name: result.name,
    accuracy: round3(result.accuracy.mean),
    macroF1: round3(result.macroF1.mean),
    logLoss: round3(result.logLoss.mean),
    perClass: Object.fromEntries(
      BUYING_VALUES.map((value, i) => {
        const { precision, recall, f1, support, predicted } = figures[i];
        return [
          value,
          {
            precision: round3(precision),
            recall: round3(recall),
            f1: round3(f1),
            support,
            predicted,
          },
        ];
      }),
    ) as Record<Buying, ClassFigures>,
  };
}

/** The nested-CV figures of a saved evaluation, or undefined when it has none (start-up model). */
export function nestedQuality(evaluation: unknown):
  | {
      estimate: string;
      model: PredictorQuality;
      calibrated?: PredictorQuality;
      previous?: PredictorQuality;
      baselines: PredictorQuality[];
      calibrationKept?: boolean;
    }
  | undefined {
  const nested = (evaluation as Partial<Evaluation> | undefined)?.nested;
  if (!nested?.model?.confusion) return undefined;
  const { options, calibration } = evaluation as Evaluation;
  return {
    estimate: `nested cross-validation: ${options.nestedRepetitions}× ${options.folds}-fold outer, ${options.innerFolds}-fold inner (means over repetitions; per-class figures from the summed confusion matrix)`,
    model: qualityOf(nested.model),
    calibrated: nested.calibrated && qualityOf(nested.calibrated),
    previous: nested.previous && qualityOf(nested.previous),
    baselines: nested.baselines.map(qualityOf),
    calibrationKept: calibration?.kept,
  };
}
