import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { CarData, loadCarData } from '../car/car-data';
import { BuyingClassifier } from './classifier';
import { FileModelHandler, loadClassifier, ModelMetadata, saveClassifier } from './model-store';
import { Tf } from './tf-backend';

const EVALUATION_JSON = 'evaluation.json';

/** The only place the model feature touches the disk: the data file and model folders. */
@Injectable()
export class ModelRepository {
  loadData(path: string): CarData {
    return loadCarData(path);
  }

  hasModel(dir: string): boolean {
    return FileModelHandler.exists(dir);
  }

  loadModel(tf: Tf, dir: string) {
    return loadClassifier(tf, dir);
  }

  saveModel(
    tf: Tf,
    classifier: BuyingClassifier,
    dir: string,
    facts: Pick<ModelMetadata, 'dataSha256' | 'trainingRows' | 'backend'>,
  ): Promise<ModelMetadata> {
    return saveClassifier(tf, classifier, dir, facts);
  }

  readEvaluation(dir: string): unknown {
    const path = join(dir, EVALUATION_JSON);
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as unknown) : undefined;
  }

  writeEvaluation(dir: string, evaluation: unknown): void {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, EVALUATION_JSON), `${JSON.stringify(evaluation, null, 2)}\n`);
  }
}
