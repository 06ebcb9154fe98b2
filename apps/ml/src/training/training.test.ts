import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Tensor } from '@tensorflow/tfjs';
import { loadCarData } from '../car/car-data';
import { APP_ROOT } from '../config';
import { BASELINES } from '../evaluation/baselines';
import { crossValidate } from '../evaluation/cross-validate';
import { BuyingClassifier } from '../model/classifier';
import { allCombinations, classIndex, encode } from '../model/encoding';
import { loadClassifier, saveClassifier } from '../model/model-store';
import { loadTf } from '../model/tf-backend';
import { FALLBACK_CANDIDATE } from './candidates';
import { candidateLearner } from './training';

const { tf, backend } = loadTf();
const data = loadCarData(join(APP_ROOT, 'data', 'car.data'));

describe('the TensorFlow.js model on car.data', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ml-model-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('cross-validates (seeded, 1× 10-fold) at least as well as the class-only lookup', () => {
    const config = { ...FALLBACK_CANDIDATE, seed: 1 };
    const [model, , classOnly] = crossValidate(
      data.rows,
      [candidateLearner(tf, config), ...BASELINES.slice(0, 2)],
      { folds: 10, repetitions: 1, seed: 20260 },
    );
    assert.equal(classOnly.name, 'class-only lookup');
    assert.ok(
      model.accuracy.mean >= classOnly.accuracy.mean,
      `model ${model.accuracy.mean} < class-only ${classOnly.accuracy.mean}`,
    );
    assert.ok(model.logLoss.mean < Math.log(4) - 0.03, `log-loss ${model.logLoss.mean}`);
  });

  it('reads buying off the class model by Bayes’ rule, with the cap', () => {
    const config = { ...FALLBACK_CANDIDATE, epochs: 30, seed: 3 };
    assert.equal(config.target, 'class');
    const classifier = BuyingClassifier.train(tf, config, data.rows);
    const cars = allCombinations().filter((_, i) => i % 97 === 0);
    const predicted = classifier.predict(cars);
    cars.forEach((car, i) => {
      // q_b = p(the car's class | buying = b, the rest), straight from the network.
      const q = ['vhigh', 'high', 'med', 'low'].map((buying) => {
        const input = tf.tensor2d(encode(config.groups, { ...car, buying }), [1, 145]);
        const output = classifier.model.predict(input) as Tensor;
        const p = output.dataSync()[classIndex(car.class)];
        tf.dispose([input, output]);
        return Math.min(p, config.consistencyCap!);
      });
      const total = q.reduce((s, v) => s + v, 0);
      q.forEach((v, b) => assert.ok(Math.abs(predicted[i][b] - v / total) < 1e-6));
    });
    classifier.dispose();
  });

  it('trains to the same weights twice and survives a save/load round trip', async () => {
    const config = { ...FALLBACK_CANDIDATE, epochs: 20, seed: 7 };
    const first = BuyingClassifier.train(tf, config, data.rows);
    const second = BuyingClassifier.train(tf, config, data.rows);
    const weights = (c: BuyingClassifier) =>
      c.model.getWeights().map((w) => Array.from(w.dataSync()));
    assert.deepEqual(weights(first), weights(second));

    const facts = { dataSha256: data.sha256, trainingRows: data.rows.length, backend };
    const saved = await saveClassifier(tf, first, dir, facts);
    const again = await saveClassifier(tf, second, join(dir, 'again'), facts);
    assert.equal(saved.version, again.version);
    const { classifier: loaded, metadata } = await loadClassifier(tf, dir);
    assert.equal(metadata.version, saved.version);
    assert.deepEqual(metadata.config, config);
    const cars = allCombinations().slice(0, 50);
    assert.deepEqual(loaded.predict(cars), first.predict(cars));
    [first, second, loaded].forEach((c) => c.dispose());
  });
});
