import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { io } from '@tensorflow/tfjs';
import { BUYING_VALUES, FEATURE_VALUES } from '../car/attributes';
import { BuyingClassifier, ModelConfig } from './classifier';
import { Tf } from './tf-backend';

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

/** What is stored beside the weights, so a loaded model can be checked and explained. */
export interface ModelMetadata {
  /** `sha256` of topology and weights (first 12 hex digits): equal models have equal versions. */
  version: string;
  config: ModelConfig;
  buyingValues: string[];
  featureValues: Record<string, readonly string[]>;
  dataSha256: string;
  trainingRows: number;
  backend: string;
}

/**
 * A TensorFlow.js IO handler writing the layers-model format of `tfjs-node`'s `file://` scheme
 * (model.json with topology and weights manifest, plus weights.bin), which pure `@tensorflow/tfjs`
 * lacks in Node. Either backend can read what the other wrote.
 */
export class FileModelHandler implements io.IOHandler {
  constructor(
    private readonly tf: Tf,
    private readonly dir: string,
  ) {}

  static exists(dir: string): boolean {
    return existsSync(join(dir, MODEL_JSON)) && existsSync(join(dir, WEIGHTS_BIN));
  }

  save = async (artifacts: io.ModelArtifacts): Promise<io.SaveResult> => {
    const weights = this.tf.io.CompositeArrayBuffer.join(artifacts.weightData);
    mkdirSync(this.dir, { recursive: true });
    const modelJson = {
      format: 'layers-model',
      generatedBy: artifacts.generatedBy,
      convertedBy: null,
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs }],
      userDefinedMetadata: artifacts.userDefinedMetadata,
    };
    writeFileSync(join(this.dir, WEIGHTS_BIN), Buffer.from(weights));
    writeFileSync(join(this.dir, MODEL_JSON), `${JSON.stringify(modelJson, null, 2)}\n`);
    return { modelArtifactsInfo: this.tf.io.getModelArtifactsInfoForJSON(artifacts) };
  };

  load = async (): Promise<io.ModelArtifacts> => {
    const json = JSON.parse(readFileSync(join(this.dir, MODEL_JSON), 'utf8')) as io.ModelJSON;
    const manifest = json.weightsManifest;
    if (manifest.length !== 1 || manifest[0].paths.length !== 1) {
      throw new Error(`${join(this.dir, MODEL_JSON)}: expected one weights file in the manifest`);
    }
    const bytes = readFileSync(join(this.dir, manifest[0].paths[0]));
    return {
      modelTopology: json.modelTopology,
      weightSpecs: manifest[0].weights,
      weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      format: json.format,
      generatedBy: json.generatedBy,
      userDefinedMetadata: json.userDefinedMetadata,
    };
  };
}

/**
 * The model version: a digest of what the model computes (network, weights and any decision
 * weights applied after it), not of when it was trained.
 */
export function modelVersion(
  topology: unknown,
  weights: ArrayBuffer,
  decisionWeights?: number[],
): string {
  const hash = createHash('sha256').update(JSON.stringify(topology)).update(Buffer.from(weights));
  if (decisionWeights) hash.update(JSON.stringify(decisionWeights));
  return hash.digest('hex').slice(0, 12);
}

/** Writes a trained model and its metadata to `dir`; returns the metadata (with the version). */
export async function saveClassifier(
  tf: Tf,
  classifier: BuyingClassifier,
  dir: string,
  facts: Pick<ModelMetadata, 'dataSha256' | 'trainingRows' | 'backend'>,
): Promise<ModelMetadata> {
  let captured: io.ModelArtifacts | undefined;
  await classifier.model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  const artifacts = captured!;
  const metadata: ModelMetadata = {
    version: modelVersion(
      artifacts.modelTopology,
      tf.io.CompositeArrayBuffer.join(artifacts.weightData),
      classifier.config.decisionWeights,
    ),
    config: classifier.config,
    buyingValues: [...BUYING_VALUES],
    featureValues: FEATURE_VALUES,
    ...facts,
  };
  await new FileModelHandler(tf, dir).save({
    ...artifacts,
    userDefinedMetadata: metadata as unknown as Record<string, object>,
  });
  return metadata;
}

/** Reads a model written by saveClassifier, checking that it speaks this code's encoding. */
export async function loadClassifier(
  tf: Tf,
  dir: string,
): Promise<{ classifier: BuyingClassifier; metadata: ModelMetadata }> {
  const handler = new FileModelHandler(tf, dir);
  const artifacts = await handler.load();
  const metadata = artifacts.userDefinedMetadata as unknown as ModelMetadata | undefined;
  if (!metadata?.config?.groups) {
    throw new Error(`${join(dir, MODEL_JSON)}: no model metadata (userDefinedMetadata.config)`);
  }
  if (JSON.stringify(metadata.featureValues) !== JSON.stringify(FEATURE_VALUES)) {
    throw new Error(`${join(dir, MODEL_JSON)}: feature values differ from this code's encoding`);
  }
  const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  return { classifier: new BuyingClassifier(tf, metadata.config, model), metadata };
}
