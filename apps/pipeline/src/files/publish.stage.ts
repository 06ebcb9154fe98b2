import { Injectable } from '@nestjs/common';
import { LedgerRepository } from '../ledger/ledger.repository';
import { Run } from '../runs/run.entity';
import { BatchFilesRepository, RunOutputs } from './batch-files.repository';

/** What publishing a committed run did. */
export interface Publication {
  outputs: RunOutputs;
  /** Inputs moved to processed/ or rejected/ now (not those a previous attempt moved). */
  moved: string[];
  /** Inputs left alone: the file under that name is no longer the content the run recorded. */
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
   * Only the very content the run recorded is moved, never a newer file under the same name: a
   * skipped file (already seen, or a copy) was only hashed at its claim, so it is hashed again
   * before the move (a producer may have appended since; the next run then reads it whole).
   * `verifyInputs` (recovery) hashes every input again. A processed file needs no second hash in
   * a live run: its reading ended with a check that it had not changed.
   */
  async publish(run: Run, { verifyInputs = false } = {}): Promise<Publication> {
    const publication: Publication = {
      outputs: await this.files.publish(run.id),
      moved: [],
      replaced: [],
    };
    for (const file of run.files ?? []) {
      if (!file.movedTo) continue;
      if (verifyInputs || file.outcome.startsWith('skipped_')) {
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
