import { Logger } from '@nestjs/common';
import type * as tfjs from '@tensorflow/tfjs';

export type Tf = typeof tfjs;

export interface TfRuntime {
  tf: Tf;
  /** `tfjs-node` (native TensorFlow) or `tfjs-cpu` (pure JavaScript). */
  backend: string;
}

let runtime: TfRuntime | undefined;

/**
 * Loads `@tensorflow/tfjs-node` when its native library is installed and falls back to the pure
 * JavaScript `@tensorflow/tfjs`; both expose the same API, so the rest of the code does not care.
 * tfjs-node is an optional dependency: its install script downloads libtensorflow, which fails on
 * machines without internet access (and npm 11 does not run unapproved install scripts).
 */
export function loadTf(): TfRuntime {
  if (runtime) return runtime;
  const logger = new Logger('TensorFlow');
  let tf: Tf;
  let reason = '';
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    tf = require('@tensorflow/tfjs-node') as Tf;
  } catch (error) {
    reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    tf = require('@tensorflow/tfjs') as Tf;
  }
  // Production mode skips per-op NaN checks and the "install tfjs-node" banner; we log instead.
  tf.enableProdMode();
  tf.backend();
  const backend = tf.getBackend() === 'tensorflow' ? 'tfjs-node' : `tfjs-${tf.getBackend()}`;
  if (reason) logger.log(`Backend ${backend} (@tensorflow/tfjs-node unavailable: ${reason})`);
  else logger.log(`Backend ${backend}`);
  runtime = { tf, backend };
  return runtime;
}
