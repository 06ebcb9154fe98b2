import { isAbsolute, relative, resolve } from 'node:path';
import {
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  OnModuleInit,
  ServiceUnavailableException,
} from '@nestjs/common';
import { APP_CONFIG } from '@des/shared';
import { CarFeatures, CarRow } from '../car/attributes';
import { APP_ROOT, MlConfig } from '../config';
import { nestedQuality } from '../training/quality';
import { nestedConfusionSvg } from '../training/report';
import { Evaluation, populationAccuracy } from '../training/training';
import { FALLBACK_CANDIDATE } from '../training/candidates';
import { BuyingClassifier } from './classifier';
import { ModelMetadata } from './model-store';
import { ModelRepository } from './model.repository';
import { AnswerTable, ServedAnswer } from './answer';
import { PredictionTable } from './prediction-table';
import { loadTf } from './tf-backend';

export const CONFUSION_MATRIX_PATH = '/model/confusion-matrix.svg';

/** The model being served, its version and its answers: replaced together, in one assignment. */
interface Served {
  answers: AnswerTable;
  version: string;
  /** Where the model came from, relative to the app (no server paths in answers). */
  source: string;
  metadata: ModelMetadata;
  evaluation?: unknown;
  buildMs: number;
}

/**
 * Holds the model being served. At start it loads the saved model (ML_MODEL_DIR, else the
 * fallback folder); with none, it trains one in the background so /health is not held up, and
 * predictions answer 503 until it is ready. Answers come from a table computed once per model.
 */
@Injectable()
export class ModelService implements OnModuleInit {
  private readonly logger = new Logger(ModelService.name);
  private served?: Served;
  private training?: Promise<void>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: MlConfig,
    private readonly repository: ModelRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    const { rows, sha256 } = this.repository.loadData(this.config.ML_DATA_FILE);
    const { tf } = loadTf();
    const dir = [this.config.ML_MODEL_DIR, this.config.ML_FALLBACK_MODEL_DIR].find((d) =>
      this.repository.hasModel(d),
    );
    if (dir) {
      const { classifier, metadata } = await this.repository.loadModel(tf, dir);
      if (metadata.dataSha256 !== sha256) {
        this.logger.warn(
          `Model in ${dir} was trained on other data (sha256 ${metadata.dataSha256})`,
        );
      }
      this.serve(classifier, rows, metadata, dir, this.repository.readEvaluation(dir));
      classifier.dispose();
      return;
    }
    this.logger.warn(`No model in ${this.config.ML_MODEL_DIR}: training one in the background`);
    this.training = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.trainFallback(rows, sha256))
      .catch((error: unknown) => this.logger.error({ err: error }, 'Start-up training failed'));
  }

  /** Resolves once a model trained at start-up is being served (immediately otherwise). */
  async ready(): Promise<void> {
    await this.training;
  }

  /** The served answer to a question with normalised values, or undefined while none is served. */
  answer(car: CarFeatures): ServedAnswer | undefined {
    return this.served?.answers.get(car);
  }

  /** The answer, or 503 while the model is still being trained. */
  requireAnswer(car: CarFeatures): ServedAnswer {
    return this.requireServed().answers.get(car);
  }

  describe() {
    const { version, source, metadata, evaluation, answers, buildMs } = this.requireServed();
    return {
      modelVersion: version,
      source,
      serving: {
        method:
          'precomputed table: every question (each attribute given or left out) answered once when the model was loaded, then served from memory',
        answers: answers.size,
        builtAt: answers.builtAt.toISOString(),
        buildMs,
      },
      quality: nestedQuality(evaluation),
      links: { confusionMatrix: CONFUSION_MATRIX_PATH },
      metadata,
      evaluation: evaluation as object | undefined,
    };
  }

  /** The nested CV's confusion matrix of the served model as SVG; 404 when it was not evaluated. */
  confusionMatrixSvg(): string {
    const { evaluation } = this.requireServed();
    const nested = (evaluation as Partial<Evaluation> | undefined)?.nested;
    if (!nested?.model?.confusion) {
      throw new NotFoundException(
        'The served model was trained at start-up without cross-validation, so it has no confusion matrix; run `npm run train -w apps/ml`',
      );
    }
    return nestedConfusionSvg(evaluation as Evaluation);
  }

  private requireServed(): Served {
    if (!this.served) {
      throw new ServiceUnavailableException('The model is still being trained; retry in a moment');
    }
    return this.served;
  }

  private async trainFallback(rows: CarRow[], sha256: string): Promise<void> {
    const { tf, backend } = loadTf();
    const started = Date.now();
    const config = { ...FALLBACK_CANDIDATE, seed: this.config.ML_SEED };
    const classifier = BuyingClassifier.train(tf, config, rows);
    const dir = this.config.ML_FALLBACK_MODEL_DIR;
    const metadata = await this.repository.saveModel(tf, classifier, dir, {
      dataSha256: sha256,
      trainingRows: rows.length,
      backend,
    });
    const evaluation = {
      note: 'Trained at start-up without cross-validation; run `npm run train -w apps/ml` for the evaluated model',
      populationAccuracy: populationAccuracy(classifier, rows),
      trainingMs: Date.now() - started,
    };
    this.repository.writeEvaluation(dir, evaluation);
    this.serve(classifier, rows, metadata, dir, evaluation);
    classifier.dispose();
  }

  private serve(
    classifier: BuyingClassifier,
    rows: CarRow[],
    metadata: ModelMetadata,
    dir: string,
    evaluation: unknown,
  ): void {
    const started = Date.now();
    const answers = AnswerTable.build(
      PredictionTable.fromPredictor(classifier, rows),
      metadata.version,
    );
    const buildMs = Date.now() - started;
    const source = this.describeSource(dir);
    this.served = { answers, version: metadata.version, source, metadata, evaluation, buildMs };
    this.logger.log(
      `Serving model ${metadata.version} (${metadata.config.name}) from ${source}; ${answers.size} answers precomputed in ${buildMs} ms`,
    );
  }

  /** The model folder relative to the app when it is inside it; otherwise which setting named it. */
  private describeSource(dir: string): string {
    const inApp = relative(APP_ROOT, resolve(dir));
    if (!inApp.startsWith('..') && !isAbsolute(inApp)) return inApp;
    return dir === this.config.ML_MODEL_DIR ? 'ML_MODEL_DIR' : 'ML_FALLBACK_MODEL_DIR';
  }
}
