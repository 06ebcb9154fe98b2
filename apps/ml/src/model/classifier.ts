import type { LayersModel, Tensor, Variable } from '@tensorflow/tfjs';
import { BUYING_VALUES, CarRow } from '../car/attributes';
import { applyWeights } from '../evaluation/calibration';
import {
  buyingIndex,
  classIndex,
  FeatureGroup,
  FullColumns,
  FullFeatures,
  groupWidth,
  hotColumns,
  inputWidth,
} from './encoding';
import { Tf } from './tf-backend';

/** Everything that defines a model before it sees data; stored with its weights. */
export interface ModelConfig {
  /** Short name of the candidate, e.g. `class+maint+class×maint`. */
  name: string;
  groups: FeatureGroup[];
  /** Full-batch Adam steps; the penalised objective is convex, so a fixed count reaches its optimum. */
  epochs: number;
  learningRate: number;
  /** Seeds the weight initialiser, so training twice gives the same model. */
  seed: number;
  /**
   * What the network predicts. `buying` (the default): buying from the six predictors directly.
   * `class`: class from buying and the five other predictors, turned into a distribution over
   * buying by Bayes' rule (see BuyingClassifier.predict).
   */
  target?: 'buying' | 'class';
  /**
   * Class model only: p(class | buying, …) is capped at this value before Bayes' rule, so every
   * buying value the class model finds at least this consistent with the car counts the same.
   */
  consistencyCap?: number;
  /**
   * Threshold calibration: the buying distribution is multiplied by these weights (BUYING_VALUES
   * order) and renormalised, fitted on out-of-fold predictions (evaluation/calibration.ts).
   */
  decisionWeights?: number[];
}

/** A trained model: anything that maps complete cars to a distribution over the buying values. */
export interface Predictor {
  /** One probability vector (BUYING_VALUES order) per car. */
  predict(cars: FullFeatures[]): number[][];
}

/**
 * Multinomial logistic regression in TensorFlow.js: one dense softmax layer over one-hot blocks,
 * trained on the penalised cross-entropy. Identical inputs are aggregated into one pattern with a
 * count per target value, which leaves the loss unchanged and makes an epoch a handful of rows.
 *
 * With `target: 'class'` the network models the data's own direction (class is computed from
 * buying and the other attributes) and buying is read off by Bayes' rule:
 * p(buying | x, class) ∝ p(buying) · p(class | buying, x), where p(buying) is uniform and x is
 * independent of buying by the full-factorial design (so p(x | buying) cancels).
 */
export class BuyingClassifier implements Predictor {
  constructor(
    private readonly tf: Tf,
    readonly config: ModelConfig,
    readonly model: LayersModel,
  ) {}

  static build(tf: Tf, config: ModelConfig): LayersModel {
    return tf.sequential({
      name: 'buying_classifier',
      layers: [
        tf.layers.dense({
          name: 'buying',
          inputShape: [inputWidth(config.groups)],
          units: BUYING_VALUES.length, // 4 buying values, or the 4 class values
          activation: 'softmax',
          kernelInitializer: tf.initializers.glorotUniform({ seed: config.seed }),
          biasInitializer: 'zeros',
        }),
      ],
    });
  }

  static train(tf: Tf, config: ModelConfig, rows: CarRow[]): BuyingClassifier {
    const model = BuyingClassifier.build(tf, config);
    const width = inputWidth(config.groups);
    const patterns = new Map<string, { hot: number[]; counts: number[] }>();
    const byClass = config.target === 'class';
    for (const row of rows) {
      const hot = hotColumns(config.groups, { ...row.features, buying: row.buying });
      const key = hot.join(',');
      let pattern = patterns.get(key);
      if (!pattern) {
        pattern = { hot, counts: BUYING_VALUES.map(() => 0) };
        patterns.set(key, pattern);
      }
      pattern.counts[byClass ? classIndex(row.features.class) : buyingIndex(row.buying)]++;
    }
    const inputs = new Float32Array(patterns.size * width);
    const counts: number[] = [];
    [...patterns.values()].forEach((pattern, i) => {
      for (const column of pattern.hot) inputs[i * width + column] = 1;
      counts.push(...pattern.counts);
    });
    const penalties = config.groups.flatMap((g) => Array<number>(groupWidth(g)).fill(g.l2));

    const xs = tf.tensor2d(inputs, [patterns.size, width]);
    const ys = tf.tensor2d(counts, [patterns.size, BUYING_VALUES.length]);
    const penalty = tf.tensor2d(penalties, [width, 1]);
    const [kernel, bias] = model
      .getLayer('buying')
      .trainableWeights.map((w) => w.read() as Variable);
    const optimizer = tf.train.adam(config.learningRate);
    for (let epoch = 0; epoch < config.epochs; epoch++) {
      tf.tidy(() => {
        // The gradient of mean softmax cross-entropy is written out ((p - y) / n per row, here
        // weighted by counts): cheaper than autodiff on the pure-JavaScript backend.
        // Forward pass on the layer's own variables: the same computation as model.apply, without
        // the layers bookkeeping that doubles the cost of a step on tiny inputs.
        const probabilities = tf.softmax(tf.add(tf.matMul(xs, kernel), bias));
        const rowTotals = tf.sum(ys, 1, true);
        const error = tf.sub(tf.mul(probabilities, rowTotals), ys).div(rows.length);
        const kernelGradient = tf
          .matMul(xs, error, true, false)
          .add(tf.mul(penalty, kernel).mul(2));
        optimizer.applyGradients([
          { name: kernel.name, tensor: kernelGradient },
          { name: bias.name, tensor: tf.sum(error, 0) },
        ]);
      });
    }
    optimizer.dispose();
    tf.dispose([xs, ys, penalty]);
    return new BuyingClassifier(tf, config, model);
  }

  predict(cars: FullFeatures[]): number[][] {
    const { decisionWeights } = this.config;
    const distributions = this.buyingDistributions(cars);
    return decisionWeights
      ? distributions.map((p) => applyWeights(p, decisionWeights))
      : distributions;
  }

  private buyingDistributions(cars: FullFeatures[]): number[][] {
    if (cars.length === 0) return [];
    const k = BUYING_VALUES.length;
    if (this.config.target !== 'class') {
      const values = this.run(cars);
      return cars.map((_, i) => Array.from(values.subarray(i * k, (i + 1) * k)));
    }
    // One input per (car, buying value); q_b = p(the car's class | buying = b, x).
    const values = this.run(
      cars.flatMap((car) => BUYING_VALUES.map((buying) => ({ ...car, buying }))),
    );
    const cap = this.config.consistencyCap ?? 1;
    return cars.map((car, i) => {
      const c = classIndex(car.class);
      const q = BUYING_VALUES.map((_, b) => Math.min(values[(i * k + b) * k + c], cap));
      const total = q.reduce((sum, v) => sum + v, 0);
      return q.map((v) => v / total);
    });
  }

  private run(inputs: FullColumns[]) {
    const width = inputWidth(this.config.groups);
    const dense = new Float32Array(inputs.length * width);
    inputs.forEach((car, i) => {
      for (const column of hotColumns(this.config.groups, car)) dense[i * width + column] = 1;
    });
    return this.tf.tidy(() => {
      const output = this.model.predict(this.tf.tensor2d(dense, [inputs.length, width])) as Tensor;
      return output.dataSync();
    });
  }

  dispose(): void {
    this.model.dispose();
  }
}
