import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PipelinePaths } from '../config';
import type { RunView } from '../runs/dto/run.view';
import type { RunProgress } from '../processing/process.stage';

export type RunThreadMessage =
  | { type: 'progress'; progress: RunProgress }
  | { type: 'done'; view: RunView; folders: PipelinePaths }
  | { type: 'failed'; name: string; message: string; stack?: string };

/**
 * The run's heap limits, set in code, so a plain `node dist/cli/main.js run` stays under 200 MB
 * (with node's defaults the heap grew to ~110 MB, mostly garbage, on a 1M-row file; ~30 MB of it
 * was live). The old generation is half what `--max-old-space-size=128` gave: with 80 MB a
 * 5M-row run peaked at 203 MB.
 */
const RUN_HEAP_LIMITS = { maxYoungGenerationSizeMb: 12, maxOldGenerationSizeMb: 64 };

/**
 * One pipeline run (RunsService.run('cli')) on a worker thread with RUN_HEAP_LIMITS: worker
 * threads are where node takes heap limits from code rather than from its command line. This
 * thread loads nothing of the app (the shared package alone is ~35 MB of heap). Progress comes
 * back as it happens, then the run's view and the data folders; a failure is rethrown here
 * with its name, message and stack.
 */
export function runInThread(
  onProgress: (progress: RunProgress) => void,
): Promise<{ view: RunView; folders: PipelinePaths }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(join(__dirname, 'run.worker.js'), {
      resourceLimits: RUN_HEAP_LIMITS,
    });
    worker.on('message', (message: RunThreadMessage) => {
      if (message.type === 'progress') onProgress(message.progress);
      else if (message.type === 'done') resolve(message);
      else reject(Object.assign(new Error(message.message), message));
    });
    worker.on('error', reject);
    // Once settled, this changes nothing.
    worker.on('exit', (code) => reject(new Error(`the run's thread stopped (exit code ${code})`)));
  });
}
