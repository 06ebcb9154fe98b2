import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CarFeatures, CarRow } from '../car/attributes';
import { loadCarData } from '../car/car-data';
import { APP_ROOT } from '../config';
import { startTestApp, TestApp } from '../e2e-app';
import { Answer, answerFor, verdictOf } from '../model/answer';
import { BuyingClassifier } from '../model/classifier';
import { allCombinations, carKey } from '../model/encoding';
import { saveClassifier } from '../model/model-store';
import { ModelService } from '../model/model.service';
import { allPartialCars, marginalise } from '../model/prediction-table';
import { loadTf } from '../model/tf-backend';
import { FALLBACK_CANDIDATE } from '../training/candidates';

const QUESTION = { maint: 'high', doors: '4', lug_boot: 'big', safety: 'high', class: 'good' };

/** The model's direct answers: its outputs on the complete cars, marginalised row by row. */
function referenceAnswers(
  classifier: BuyingClassifier,
  rows: CarRow[],
  version: string,
): (car: CarFeatures) => Answer {
  const complete = allCombinations();
  const outputs = classifier.predict(complete);
  const byCar = new Map(complete.map((car, i) => [carKey(car), outputs[i]]));
  const answers = new Map(
    allPartialCars().map((car) => [
      carKey(car),
      answerFor(
        marginalise(car, (full) => byCar.get(carKey(full))!, rows),
        version,
      ),
    ]),
  );
  return (car) => answers.get(carKey(car))!;
}

interface Sent {
  status: number;
  body: unknown;
  requestId: string | undefined;
  /** Express marks its answers; the fast path's have no such header. */
  viaExpress: boolean;
}

/** POSTs a raw body; chunked leaves out content-length (the fast path only takes sized bodies). */
function send(url: string, body: string, { chunked }: { chunked: boolean }): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    if (!chunked) headers['content-length'] = Buffer.byteLength(body);
    const req = httpRequest(`${url}/predictions`, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode!,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown,
          requestId: res.headers['x-request-id'] as string | undefined,
          viaExpress: res.headers['x-powered-by'] === 'Express',
        }),
      );
    });
    req.on('error', reject);
    // end(body) alone would add a content-length; write() first makes the body chunked.
    if (chunked) req.write(body);
    req.end(chunked ? undefined : body);
  });
}

const withoutId = (body: unknown) => ({ ...(body as object), correlationId: undefined });

describe('POST /predictions and GET /model', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ml-e2e-'));
  let started: TestApp;
  let app: INestApplication;
  let version: string;
  let url: string;
  let reference: (car: CarFeatures) => Answer;

  before(async () => {
    // A quickly trained model (few epochs) keeps the suite fast; the API does not care how good it is.
    const { tf, backend } = loadTf();
    const data = loadCarData(join(APP_ROOT, 'data', 'car.data'));
    const classifier = BuyingClassifier.train(
      tf,
      { ...FALLBACK_CANDIDATE, epochs: 30, seed: 3 },
      data.rows,
    );
    version = (
      await saveClassifier(tf, classifier, join(dir, 'model'), {
        dataSha256: data.sha256,
        trainingRows: data.rows.length,
        backend,
      })
    ).version;
    reference = referenceAnswers(classifier, data.rows, version);
    classifier.dispose();
    started = await startTestApp({
      ML_MODEL_DIR: join(dir, 'model'),
      ML_FALLBACK_MODEL_DIR: join(dir, 'unused'),
    });
    app = started.app;
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  after(async () => {
    await started?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (body: object) => request(app.getHttpServer()).post('/predictions').send(body);

  it('answers the question with persons missing, flagged as an extrapolation', async () => {
    const response = await post(QUESTION).expect(200);
    const body = response.body;
    assert.ok(['vhigh', 'high', 'med', 'low'].includes(body.buying));
    const probabilities = Object.values(body.probabilities as Record<string, number>);
    assert.equal(probabilities.length, 4);
    assert.ok(Math.abs(probabilities.reduce((s, p) => s + p, 0) - 1) < 1e-5);
    assert.equal(body.probabilities[body.buying], Math.max(...probabilities));
    assert.equal(body.matchingTrainingRows, 0);
    assert.equal(body.extrapolation, true);
    assert.equal(body.modelVersion, version);
    assert.deepEqual(body.marginalised, ['persons']);
    assert.equal(body.weightsFrom, 'rows of the same class');
    assert.match(body.note, /extrapolation/);
    const ranked = Object.entries(body.probabilities as Record<string, number>).sort(
      (a, b) => b[1] - a[1],
    );
    assert.equal(body.runnerUp, ranked[1][0]);
    assert.equal(body.margin, Number((ranked[0][1] - ranked[1][1]).toFixed(6)));
    assert.equal(body.verdict, verdictOf(body.margin));
  });

  it('answers every one of the 8000 questions exactly as the model computes it directly', async () => {
    const cars = allPartialCars();
    assert.equal(cars.length, 8000);
    const mismatches: string[] = [];
    const ask = async (car: CarFeatures) => {
      const response = await fetch(`${url}/predictions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(car),
      });
      const body: unknown = await response.json();
      try {
        assert.equal(response.status, 200);
        assert.deepStrictEqual(body, reference(car));
      } catch {
        mismatches.push(`${JSON.stringify(car)} → ${JSON.stringify(body)}`);
      }
    };
    for (let i = 0; i < cars.length; i += 16) await Promise.all(cars.slice(i, i + 16).map(ask));
    assert.deepEqual(mismatches.slice(0, 5), [], `${mismatches.length} of 8000 answers differ`);
  });

  it('gives the same answers and errors with or without the fast path', async () => {
    // A chunked body (no content-length) always goes through the framework's own pipeline.
    const bodies = [
      JSON.stringify(QUESTION),
      JSON.stringify({
        maint: 'High',
        doors: 5,
        persons: '5+',
        lug_boot: 'LARGE',
        class: 'very good',
      }),
      JSON.stringify({ maint: null, safety: ' medium ' }),
      '{}',
      JSON.stringify({ ...QUESTION, colour: 'red' }),
      JSON.stringify({ ...QUESTION, maint: 'pricey', doors: 1 }),
      JSON.stringify({ doors: 4.5 }),
      JSON.stringify({ maint: { $ne: 1 } }),
      '{"__proto__":{"maint":"high"}}',
      '[{"maint":"high"}]',
      '{"maint":',
    ];
    for (const body of bodies) {
      const [framework, fast] = await Promise.all([
        send(url, body, { chunked: true }),
        send(url, body, { chunked: false }),
      ]);
      assert.ok(framework.viaExpress, `${body}: the chunked request reached Express`);
      assert.equal(
        fast.viaExpress,
        fast.status !== 200,
        `${body}: only errors leave the fast path`,
      );
      assert.equal(fast.status, framework.status, body);
      assert.deepEqual(withoutId(fast.body), withoutId(framework.body), body);
      assert.ok(fast.requestId && framework.requestId, `${body}: X-Request-Id on both`);
    }
  });

  it('reports matching rows for a combination in the data', async () => {
    const body = (
      await post({ ...QUESTION, maint: 'low', persons: '4', class: 'vgood' }).expect(200)
    ).body;
    assert.equal(body.extrapolation, false);
    assert.ok(body.matchingTrainingRows > 0);
    assert.deepEqual(body.marginalised, []);
  });

  it('accepts obvious variants and gives the canonical answer', async () => {
    const canonical = (await post({ ...QUESTION, persons: 'more' }).expect(200)).body;
    for (const variant of [
      {
        maint: 'High',
        doors: 4,
        persons: '5more',
        lug_boot: 'BIG',
        safety: ' high ',
        class: 'Good',
      },
      { maint: 'HIGH', doors: '4', persons: '5+', lug_boot: 'big', safety: 'high', class: 'good' },
      { maint: 'high', doors: 4, persons: 6, lug_boot: 'big', safety: 'high', class: 'good' },
    ]) {
      assert.deepEqual((await post(variant).expect(200)).body, canonical);
    }
    const fiveMore = (await post({ ...QUESTION, doors: '5more' }).expect(200)).body;
    for (const doors of ['5+', 'more', 5, '5']) {
      assert.deepEqual((await post({ ...QUESTION, doors }).expect(200)).body, fiveMore);
    }
  });

  it('answers 400 listing the allowed values of every bad field', async () => {
    const response = await post({ ...QUESTION, maint: 'pricey', doors: 1, persons: 3 }).expect(400);
    const errors = response.body.errors as Array<{ field: string; problems: string[] }>;
    assert.deepEqual(errors.map((e) => e.field).sort(), ['doors', 'maint', 'persons']);
    const problem = (field: string) => errors.find((e) => e.field === field)!.problems.join(' ');
    assert.match(problem('maint'), /vhigh, high, med, low/);
    assert.match(problem('doors'), /2, 3, 4, 5more/);
    assert.match(problem('persons'), /2, 4, more/);
    assert.ok(response.body.correlationId);
  });

  it('rejects unknown fields and non-object bodies', async () => {
    const response = await post({ ...QUESTION, colour: 'red' }).expect(400);
    assert.match(response.body.message, /colour/);
    await request(app.getHttpServer())
      .post('/predictions')
      .set('Content-Type', 'application/json')
      .send('{"maint":')
      .expect(400);
  });

  it('GET /model describes the served model', async () => {
    const body = (await request(app.getHttpServer()).get('/model').expect(200)).body;
    assert.equal(body.modelVersion, version);
    assert.equal(body.metadata.config.name, FALLBACK_CANDIDATE.name);
  });
});

describe('the committed model', () => {
  let started: TestApp;
  let app: INestApplication;

  before(async () => {
    started = await startTestApp({
      ML_DB_STATEMENT_TIMEOUT_MS: '1500',
      ML_DB_LOCK_TIMEOUT_MS: '700',
      ML_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '2500',
    });
    app = started.app;
    await app.init();
  });

  after(() => started?.close());

  it('answers the question low, says it is a near tie and an extrapolation', async () => {
    const body = (
      await request(app.getHttpServer()).post('/predictions').send(QUESTION).expect(200)
    ).body;
    assert.equal(body.buying, 'low');
    assert.equal(body.runnerUp, 'med');
    assert.equal(body.margin, Number((body.probabilities.low - body.probabilities.med).toFixed(6)));
    assert.equal(body.verdict, 'near tie');
    assert.equal(body.extrapolation, true);
    assert.match(body.note, /low leads med by 0\.0\d+ \(a near tie/);
  });

  it('opens its database connections with the configured session timeouts', async () => {
    const dataSource = app.get(DataSource);
    const setting = async (name: string) =>
      ((await dataSource.query(`SHOW ${name}`)) as Array<Record<string, string>>)[0][name];
    assert.equal(await setting('statement_timeout'), '1500ms');
    assert.equal(await setting('lock_timeout'), '700ms');
    assert.equal(await setting('idle_in_transaction_session_timeout'), '2500ms');
    await assert.rejects(dataSource.query('SELECT pg_sleep(5)'), { code: '57014' });
  });

  it('GET /model says how answers are served, without server paths', async () => {
    const body = (await request(app.getHttpServer()).get('/model').expect(200)).body;
    assert.equal(body.source, 'model');
    assert.equal(body.serving.answers, 8000);
    assert.match(body.serving.method, /precomputed table/);
    assert.ok(Date.parse(body.serving.builtAt) <= Date.now());
    assert.ok(!JSON.stringify(body).includes(APP_ROOT), 'no server path in /model');
  });

  it('GET /model gives accuracy, macro-F1 and per-class figures, and links the confusion matrix', async () => {
    const { quality, links } = (await request(app.getHttpServer()).get('/model').expect(200)).body;
    assert.match(quality.estimate, /nested cross-validation/);
    for (const predictor of [quality.model, ...quality.baselines]) {
      assert.ok(predictor.accuracy > 0 && predictor.macroF1 > 0, predictor.name);
      assert.deepEqual(Object.keys(predictor.perClass), ['vhigh', 'high', 'med', 'low']);
      const f1s = Object.values(predictor.perClass as Record<string, { f1: number }>).map(
        (c) => c.f1,
      );
      // macro-F1 is the mean of the per-class F1s (of the summed matrix, so close, not equal).
      assert.ok(Math.abs(f1s.reduce((a, b) => a + b) / 4 - predictor.macroF1) < 0.02);
    }
    const picture = await request(app.getHttpServer()).get(links.confusionMatrix).expect(200);
    assert.match(picture.headers['content-type'], /^image\/svg\+xml/);
    assert.match(String(picture.text ?? picture.body), /^<svg[^>]*>[\s\S]*vhigh[\s\S]*<\/svg>/);
  });
});

describe('start-up without a saved model', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ml-e2e-empty-'));
  let started: TestApp;
  let app: INestApplication;

  before(async () => {
    started = await startTestApp({
      ML_MODEL_DIR: join(dir, 'none'),
      ML_FALLBACK_MODEL_DIR: join(dir, 'trained'),
    });
    app = started.app;
    await app.init();
  });

  after(async () => {
    await started?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves /health at once, trains in the background, then predicts', async () => {
    await request(app.getHttpServer()).get('/health').expect(200);
    await app.get(ModelService).ready();
    assert.ok(existsSync(join(dir, 'trained', 'model.json')));
    const body = (
      await request(app.getHttpServer()).post('/predictions').send(QUESTION).expect(200)
    ).body;
    assert.equal(body.extrapolation, true);
    const model = (await request(app.getHttpServer()).get('/model').expect(200)).body;
    assert.match(model.evaluation.note, /without cross-validation/);
    assert.equal(model.quality, undefined);
    await request(app.getHttpServer()).get(model.links.confusionMatrix).expect(404);
  });
});
