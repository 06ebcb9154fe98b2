import 'reflect-metadata';
import { parentPort } from 'node:worker_threads';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { loadConfig, pipelinePaths } from '../config';
import { RunsService } from '../runs/runs.service';
import { RunThreadMessage } from './run-thread';

const post = (message: RunThreadMessage) => parentPort!.postMessage(message);
const PROGRESS_EVERY_MS = 100;

/** The run's thread (see runInThread): one pipeline run, its progress and its view posted back. */
async function main(): Promise<void> {
  // Logs would tear the progress bar; warnings and errors still show.
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
  const app = await NestFactory.createApplicationContext(
    AppModule.register(config, { server: false }),
    { bufferLogs: true },
  );
  let view;
  let posted = 0;
  try {
    view = await app.get(RunsService).run('cli', (progress) => {
      // A message per chunk of ~1,000 rows would cost the run more than the bar needs.
      if (Date.now() - posted < PROGRESS_EVERY_MS) return;
      posted = Date.now();
      post({ type: 'progress', progress });
    });
  } finally {
    await app.close();
  }
  post({ type: 'done', view, folders: pipelinePaths(config) });
}

main().catch((error: unknown) => {
  const { name, message, stack } = error instanceof Error ? error : new Error(String(error));
  post({ type: 'failed', name, message, stack });
});
