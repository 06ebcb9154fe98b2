import { Injectable, Logger } from '@nestjs/common';
import { BatchFilesRepository } from '../files/batch-files.repository';
import { PublishStage } from '../files/publish.stage';
import { LedgerRepository } from '../ledger/ledger.repository';

/**
 * What is left when a run does not reach its end: its own failure (temporary files deleted,
 * status `failed`), and runs of dead processes, finished on the next start or run.
 */
@Injectable()
export class RunRecovery {
  private readonly logger = new Logger(RunRecovery.name);

  constructor(
    private readonly files: BatchFilesRepository,
    private readonly ledger: LedgerRepository,
    private readonly publishStage: PublishStage,
  ) {}

  /** A run of this process that threw before it committed: nothing of it may stay. */
  async fail(runId: string, error: unknown): Promise<void> {
    this.logger.error(`Run ${runId} failed: ${String(error)}`);
    await this.files.removeTemporaries(runId).catch(() => undefined);
    await this.ledger.updateRun(runId, {
      status: 'failed',
      finishedAt: new Date(),
      error: error instanceof Error ? error.message : String(error),
    });
  }

  /**
   * Finishes what dead processes left: a committed run is published (outputs renamed into
   * place, inputs moved), a run that never committed has its temporary files deleted. A run
   * whose owner is alive still holds its lock and is left alone.
   */
  async recover(): Promise<void> {
    const unfinished = await this.ledger.unfinishedRuns();
    if (!unfinished.length) return;
    const session = await this.ledger.openSession();
    try {
      for (const candidate of unfinished) {
        if (!(await session.tryLockRun(candidate.id))) continue;
        try {
          // Re-read under the lock: the owner may have finished in between.
          const run = await this.ledger.findRun(candidate.id);
          if (run?.status === 'committed') {
            const { replaced } = await this.publishStage.publish(run, { verifyInputs: true });
            this.logger.warn(
              `Run ${run.id} was committed by a dead process; published` +
                (replaced.length ? ` (left ${replaced.join(', ')}: replaced since)` : ''),
            );
          }
          if (run?.status === 'running') {
            await this.files.removeTemporaries(run.id);
            await this.ledger.updateRun(run.id, {
              status: 'abandoned',
              finishedAt: new Date(),
              error:
                'the process running it stopped before it committed; its files were left for the next run',
            });
            this.logger.warn(`Run ${run.id} was abandoned by a dead process; cleaned up`);
          }
        } finally {
          await session.unlockRun(candidate.id);
        }
      }
    } finally {
      await session.close();
    }
  }
}
