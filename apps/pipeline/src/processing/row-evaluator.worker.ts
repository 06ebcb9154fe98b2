import { parentPort, workerData } from 'node:worker_threads';
import { ApplicationRules, RuleSettings } from '../applications/application-rules';
import { FileEvaluator } from './row-evaluator';
import { EvaluatorMessage, EvaluatorRequest, packRows } from './row-evaluator-thread';

/** The evaluator thread: applies the rules to the records of one file at a time. */
const port = parentPort!;
const rules = new ApplicationRules(workerData as RuleSettings);
let file: FileEvaluator | undefined;
// Requests are handled one after the other: a file's end reads its spill file asynchronously.
let previous = Promise.resolve();

const send = (message: EvaluatorMessage) => {
  const buffers =
    message.type === 'rows'
      ? [
          message.chunk.fingerprints,
          message.chunk.lines,
          message.chunk.successful,
          message.chunk.reasonBits,
          message.chunk.ends,
          message.chunk.successBytes,
          message.chunk.failedBytes,
        ]
      : [];
  port.postMessage(
    message,
    buffers.map((array) => array.buffer as ArrayBuffer),
  );
};

async function handle(request: EvaluatorRequest): Promise<void> {
  if (request.type === 'file') {
    file = new FileEvaluator(request.file, rules);
  } else if (request.type === 'records') {
    send({ type: 'rows', chunk: packRows(file!.evaluate(request.chunk)) });
  } else {
    const rows = file!.finish();
    for (;;) {
      const next = await rows.next();
      if (next.done) {
        file = undefined;
        return send({ type: 'end', summary: next.value });
      }
      send({ type: 'rows', chunk: packRows(next.value) });
    }
  }
}

port.on('message', (request: EvaluatorRequest) => {
  previous = previous
    .then(() => handle(request))
    .catch((error: unknown) => {
      file?.discard();
      file = undefined;
      send({ type: 'error', error: error instanceof Error ? error : new Error(String(error)) });
    });
});
