import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { INestApplication } from '@nestjs/common';
import { createTestDatabase, TestDatabase } from '@des/shared/testing';
import request from 'supertest';
import { createApp } from '../app';
import { loadCarData } from '../car/car-data';
import { APP_ROOT } from '../config';
import { BuyingClassifier } from '../model/classifier';
import { saveClassifier } from '../model/model-store';
import { ModelService } from '../model/model.service';
import { loadTf } from '../model/tf-backend';
import { FALLBACK_CANDIDATE } from '../training/candidates';

const QUESTION = { maint: 'high', doors: '4', lug_boot: 'big', safety: 'high', class: 'good' };

describe('POST /predictions and GET /model', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ml-e2e-'));
  let database: TestDatabase;
  let app: INestApplication;
  let version: string;

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
    classifier.dispose();
    database = await createTestDatabase('ml');
    app = await createApp({
      ...process.env,
      DATABASE_URL: database.url,
      LOG_LEVEL: 'silent',
      ML_MODEL_DIR: join(dir, 'model'),
      ML_FALLBACK_MODEL_DIR: join(dir, 'unused'),
    });
    await app.init();
  });

  after(async () => {
    await app?.close();
    await database?.drop();
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

describe('start-up without a saved model', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ml-e2e-empty-'));
  let database: TestDatabase;
  let app: INestApplication;

  before(async () => {
    database = await createTestDatabase('ml');
    app = await createApp({
      ...process.env,
      DATABASE_URL: database.url,
      LOG_LEVEL: 'silent',
      ML_MODEL_DIR: join(dir, 'none'),
      ML_FALLBACK_MODEL_DIR: join(dir, 'trained'),
    });
    await app.init();
  });

  after(async () => {
    await app?.close();
    await database?.drop();
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
  });
});
