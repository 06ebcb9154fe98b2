import { BUYING_VALUES, Buying, CarFeatures, Feature } from '../car/attributes';
import { carKey } from './encoding';
import { allPartialCars, Prediction, PredictionTable, WeightSource } from './prediction-table';

/** How decisive an answer is, from the margin between the two most probable buying values. */
export const VERDICTS = ['tie', 'near tie', 'leaning', 'clear'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** Upper margin bounds of the verdicts below `clear` (probabilities, already rounded). */
export const NEAR_TIE_BELOW = 0.05;
export const LEANING_BELOW = 0.15;

/** What `POST /predictions` answers: the served table holds one of these per question. */
export interface Answer {
  buying: Buying;
  probabilities: Record<Buying, number>;
  runnerUp: Buying;
  margin: number;
  verdict: Verdict;
  matchingTrainingRows: number;
  extrapolation: boolean;
  modelVersion: string;
  marginalised: Feature[];
  weightsFrom: WeightSource;
  note: string;
}

const round6 = (x: number) => Number(x.toFixed(6));

export function verdictOf(margin: number): Verdict {
  if (margin === 0) return 'tie';
  if (margin < NEAR_TIE_BELOW) return 'near tie';
  return margin < LEANING_BELOW ? 'leaning' : 'clear';
}

function decisiveness(
  buying: Buying,
  runnerUp: Buying,
  margin: number,
  probability: number,
  verdict: Verdict,
): string {
  if (verdict === 'tie') {
    return `${buying} and ${runnerUp} are tied at ${probability}: the tie goes to the first in the order ${BUYING_VALUES.join(', ')}, so either answer is as likely.`;
  }
  const sense = {
    'near tie': 'a near tie: the model barely prefers one',
    leaning: 'the model leans towards it',
    clear: 'a clear preference',
  }[verdict];
  return `${buying} leads ${runnerUp} by ${margin} (${sense}).`;
}

/**
 * The answer for one prediction. Probabilities are rounded to 6 decimals; the answer is the most
 * probable value (ties go to the first in BUYING_VALUES order), the runner-up the next one, and
 * the margin their difference, so what the client reads adds up.
 */
export function answerFor(prediction: Prediction, modelVersion: string): Answer {
  const rounded = prediction.probabilities.map(round6);
  const ranked = BUYING_VALUES.map((value, i) => ({ value, p: rounded[i] })).sort(
    (a, b) => b.p - a.p,
  );
  const [first, second] = ranked;
  const margin = round6(first.p - second.p);
  const verdict = verdictOf(margin);
  const extrapolation = prediction.matchingTrainingRows === 0;
  const evidence = extrapolation
    ? 'No training row has this combination of attributes: the answer is an extrapolation from the model’s main effects, not evidence from data.'
    : `${prediction.matchingTrainingRows} training rows have this combination of attributes.`;
  return {
    buying: first.value,
    probabilities: Object.fromEntries(BUYING_VALUES.map((v, i) => [v, rounded[i]])) as Record<
      Buying,
      number
    >,
    runnerUp: second.value,
    margin,
    verdict,
    matchingTrainingRows: prediction.matchingTrainingRows,
    extrapolation,
    modelVersion,
    marginalised: prediction.missing,
    weightsFrom: prediction.weightsFrom,
    note: `${evidence} ${decisiveness(first.value, second.value, margin, first.p, verdict)}`,
  };
}

/** An answer with its JSON text, serialised once so serving it costs no JSON.stringify. */
export interface ServedAnswer {
  answer: Answer;
  json: Buffer;
}

/**
 * Every answer of one model version, computed and serialised when the model is loaded: the 8000
 * questions (each feature given or missing) are all there is to ask, so serving is a map lookup.
 */
export class AnswerTable {
  private constructor(
    private readonly byKey: Map<string, ServedAnswer>,
    readonly builtAt: Date,
  ) {}

  static build(predictions: PredictionTable, modelVersion: string): AnswerTable {
    const byKey = new Map<string, ServedAnswer>();
    for (const car of allPartialCars()) {
      const answer = answerFor(predictions.get(car), modelVersion);
      byKey.set(carKey(car), { answer, json: Buffer.from(JSON.stringify(answer)) });
    }
    return new AnswerTable(byKey, new Date());
  }

  get size(): number {
    return this.byKey.size;
  }

  /** The answer to a question whose values are normalised (the data set's spellings). */
  get(car: CarFeatures): ServedAnswer {
    const served = this.byKey.get(carKey(car));
    if (!served) throw new Error(`No answer for ${carKey(car)}: values must be normalised first`);
    return served;
  }
}
