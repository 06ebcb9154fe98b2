import { Injectable } from '@nestjs/common';
import { LedgerRepository } from '../ledger/ledger.repository';
import { Run } from '../runs/run.entity';
import { BatchFilesRepository, RunOutputs } from './batch-files.repository';

/** What publishing a committed run did. */
export interface Publication {
  outputs: RunOutputs;
  /** Inputs moved to processed/ or rejected/ now (not those a previous attempt moved). */
  moved: string[];
  /** Inputs recovery left alone: the file under that name is no longer the recorded content. */
  replaced: string[];
}

/**
 * The last stage of a run, and what recovery redoes after a crash: everything here is idempotent.
 * Renames the committed outputs into place (atomic: a reader sees a whole file or none), moves
 * the inputs with a reason file for the rejected ones, deletes the run's work files, and marks
 * the run `completed`.
 */
@Injectable()
export class PublishStage {
  constructor(
    private readonly files: BatchFilesRepository,
    private readonly ledger: LedgerRepository,
  ) {}

  /**
   * `verifyInputs` (recovery): each input is hashed again, so only the very content the run
   * recorded is moved, never a newer file dropped under the same name since.
   */
  async publish(run: Run, { verifyInputs = false } = {}): Promise<Publication> {
    const publication: Publication = {
      outputs: await this.files.publish(run.id),
      moved: [],
      replaced: [],
    };
    for (const file of run.files ?? []) {
      if (!file.movedTo) continue;
      if (verifyInputs) {
        const now = await this.files.incomingIdentity(file.fileName);
        if (!now) continue; // moved before the crash
        if (now.sha256 !== file.sha256) {
          publication.replaced.push(file.fileName);
          continue;
        }
      }
      const reason = file.outcome === 'processed' ? undefined : (file.reason ?? file.outcome);
      if (await this.files.moveInput(file.fileName, file.movedTo, reason)) {
        publication.moved.push(file.fileName);
      }
    }
    await this.files.removeTemporaries(run.id);
    await this.ledger.updateRun(run.id, { status: 'completed', finishedAt: new Date() });
    return publication;
  }
}
