import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG } from '@des/shared';
import { DataSource } from 'typeorm';
import { BannerApiConfig } from '../config';
import { ImportJob, ImportOutcome } from './import-job';

interface ImportMessage {
  outcome?: ImportOutcome;
  heapPeakMb?: number;
  error?: string;
}

/**
 * Runs imports on a worker thread, one at a time in this process (PostgreSQL serialises them
 * across processes). The thread's heap is capped, so even a hostile file cannot grow the serving
 * process: it would stop the import, never the server.
 */
@Injectable()
export class ImportRunner {
  private readonly logger = new Logger(ImportRunner.name);
  private queue: Promise<unknown> = Promise.resolve();
  /** Heap peak of the last import thread in MB (the benchmark prints it). */
  lastHeapPeakMb = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: BannerApiConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  run(job: Omit<ImportJob, 'databaseUrl'>): Promise<ImportOutcome> {
    const databaseUrl = (this.dataSource.options as { url: string }).url;
    const next = this.queue.then(() => this.runOnThread({ ...job, databaseUrl }));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private runOnThread(job: ImportJob): Promise<ImportOutcome> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(join(__dirname, 'import-worker.js'), {
        workerData: job,
        resourceLimits: {
          maxOldGenerationSizeMb: this.config.BANNER_IMPORT_HEAP_MB,
          maxYoungGenerationSizeMb: 16,
        },
      });
      let answered = false;
      worker.once('message', (message: ImportMessage) => {
        answered = true;
        if (message.outcome) {
          this.lastHeapPeakMb = message.heapPeakMb ?? 0;
          this.logger.log(
            `Import thread done: heap peak ${this.lastHeapPeakMb.toFixed(1)} MB (cap ${this.config.BANNER_IMPORT_HEAP_MB} MB)`,
          );
          resolve(message.outcome);
        } else reject(new Error(`import failed: ${message.error}`));
      });
      worker.once('error', (error) => {
        answered = true;
        reject(new Error(`import thread failed: ${error.message}`));
      });
      worker.once('exit', (code) => {
        if (!answered) reject(new Error(`import thread exited with code ${code}`));
      });
    });
  }
}
