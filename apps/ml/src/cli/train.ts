import 'reflect-metadata';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCarData } from '../car/car-data';
import { APP_ROOT, loadConfig } from '../config';
import { BuyingClassifier } from '../model/classifier';
import { loadClassifier, saveClassifier } from '../model/model-store';
import { PredictionTable } from '../model/prediction-table';
import { loadTf } from '../model/tf-backend';
import { answerLine, nestedConfusionSvg, QUESTION, renderReport } from '../training/report';
import { DEFAULT_TRAIN_OPTIONS, Evaluation, trainWithEvaluation } from '../training/training';

const USAGE = `Usage: npm run train -w apps/ml -- [options]
  --nested-repetitions N     outer repetitions of the nested CV (default ${DEFAULT_TRAIN_OPTIONS.nestedRepetitions})
  --selection-repetitions N  repetitions of the final candidate comparison (default ${DEFAULT_TRAIN_OPTIONS.selectionRepetitions})
  --seed N                   seed of folds and weight initialisation (default ${DEFAULT_TRAIN_OPTIONS.seed})
  --model-dir DIR            where to write the model (default ML_MODEL_DIR, i.e. apps/ml/model)
  --report-dir DIR           where to write REPORT.md and the confusion matrix (default apps/ml/report)
  --report-only              re-render the report from the saved model and evaluation.json, no training`;

function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`--${name}: must be a whole number ≥ 1, got "${raw}"\n${USAGE}`);
  }
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'nested-repetitions': { type: 'string' },
      'selection-repetitions': { type: 'string' },
      seed: { type: 'string' },
      'model-dir': { type: 'string' },
      'report-dir': { type: 'string' },
      'report-only': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const config = loadConfig();
  const options = {
    ...DEFAULT_TRAIN_OPTIONS,
    nestedRepetitions: positiveInt(
      'nested-repetitions',
      values['nested-repetitions'],
      DEFAULT_TRAIN_OPTIONS.nestedRepetitions,
    ),
    selectionRepetitions: positiveInt(
      'selection-repetitions',
      values['selection-repetitions'],
      DEFAULT_TRAIN_OPTIONS.selectionRepetitions,
    ),
    seed: positiveInt('seed', values.seed, DEFAULT_TRAIN_OPTIONS.seed),
  };
  const modelDir = values['model-dir'] ?? config.ML_MODEL_DIR;
  const reportDir = values['report-dir'] ?? join(APP_ROOT, 'report');

  const { tf, backend } = loadTf();
  const data = loadCarData(config.ML_DATA_FILE);
  console.log(`car.data: ${data.rows.length} rows, sha256 verified; backend ${backend}`);
  let classifier: BuyingClassifier;
  let evaluation: Evaluation;
  let version: string;
  if (values['report-only']) {
    const loaded = await loadClassifier(tf, modelDir);
    classifier = loaded.classifier;
    version = loaded.metadata.version;
    evaluation = JSON.parse(readFileSync(join(modelDir, 'evaluation.json'), 'utf8')) as Evaluation;
  } else {
    ({ classifier, evaluation } = trainWithEvaluation(tf, backend, data, options, (m) =>
      console.log(m),
    ));
    const metadata = await saveClassifier(tf, classifier, modelDir, {
      dataSha256: data.sha256,
      trainingRows: data.rows.length,
      backend,
    });
    version = metadata.version;
    writeFileSync(join(modelDir, 'evaluation.json'), `${JSON.stringify(evaluation, null, 2)}\n`);
  }
  const question = PredictionTable.fromPredictor(classifier, data.rows).get(QUESTION);
  const command = `npm run train -w apps/ml${evaluation.options.nestedRepetitions === DEFAULT_TRAIN_OPTIONS.nestedRepetitions && evaluation.options.selectionRepetitions === DEFAULT_TRAIN_OPTIONS.selectionRepetitions ? '' : ` -- --nested-repetitions ${evaluation.options.nestedRepetitions} --selection-repetitions ${evaluation.options.selectionRepetitions}`}`;
  mkdirSync(reportDir, { recursive: true });
  writeFileSync(join(reportDir, 'REPORT.md'), renderReport(evaluation, version, question, command));
  writeFileSync(join(reportDir, 'confusion-matrix.svg'), nestedConfusionSvg(evaluation));

  const { nested, population } = evaluation;
  const pad = (s: string) => s.padEnd(40);
  console.log(`\n${pad('predictor (nested CV)')} accuracy  macro-F1  log-loss`);
  for (const r of [nested.model, ...nested.baselines]) {
    console.log(
      `${pad(r.name)} ${r.accuracy.mean.toFixed(3)}     ${r.macroF1.mean.toFixed(3)}     ${r.logLoss.mean.toFixed(3)}`,
    );
  }
  const classOnly = nested.baselines[1].accuracy.mean;
  console.log(
    `model / class-only lookup accuracy: ${(nested.model.accuracy.mean / classOnly).toFixed(3)}×`,
  );
  console.log(
    `population accuracy: model ${population.model.toFixed(3)}, class-only ${population.classOnlyLookup.toFixed(3)}, limit ${population.limit.toFixed(3)}`,
  );
  console.log(`selected ${evaluation.selected}; model ${version} written to ${modelDir}`);
  console.log(`question: ${answerLine(question, version)}`);
  console.log(
    `time: evaluation ${(evaluation.trainingMs.evaluation / 1000).toFixed(1)} s, final model ${evaluation.trainingMs.finalModel} ms`,
  );
  classifier.dispose();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
