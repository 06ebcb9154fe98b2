import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '@des/shared';
import { PipelineConfig } from '../config';
import { BatchFilesRepository, FileIdentity } from '../files/batch-files.repository';
import { LedgerRepository, LedgerSession } from '../ledger/ledger.repository';
import { IncomingFile, NotTaken, scanIncoming } from './incoming-folder';

/** A complete incoming file this run holds (advisory lock on its content) and will read. */
export interface ClaimedFile extends IncomingFile {
  claimed: true;
  identity: FileIdentity;
}

/** A complete incoming file this run will not read, and why; the ledger records it. */
export interface SkippedFile {
  claimed: false;
  name: string;
  identity: FileIdentity;
  outcome: 'skipped_same_content' | 'skipped_busy' | 'skipped_already_seen';
  reason: string;
  /** For `skipped_same_content`: the file of this run with the same content. */
  twinOf?: string;
}

/** What the claim stage gives the processing stage. */
export interface Claim {
  /** Every complete incoming file, in folder order: claimed by this run, or skipped. */
  files: Array<ClaimedFile | SkippedFile>;
  /** Entries the run does not take at all (incomplete, hidden, not a CSV file, …). */
  notTaken: NotTaken[];
  /** Bytes of the claimed files, for progress. */
  claimedBytes: number;
}

/**
 * The first stage of a run: which incoming files are complete (quiet period, line ending) and
 * new (content hash not in the ledger, not held by another live run). A claimed file stays
 * locked to this run's database session until the run ends, or its process dies.
 */
@Injectable()
export class ClaimStage {
  private readonly logger = new Logger(ClaimStage.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: PipelineConfig,
    private readonly files: BatchFilesRepository,
    private readonly ledger: LedgerRepository,
  ) {}

  async claim(runId: string, session: LedgerSession, stopping: () => boolean): Promise<Claim> {
    const incoming = await scanIncoming(
      this.files.paths.incoming,
      this.config.PIPELINE_QUIET_SECONDS * 1000,
    );
    const claim: Claim = { files: [], notTaken: incoming.notTaken, claimedBytes: 0 };
    const claimedBySha = new Map<string, string>();
    for (const file of incoming.files) {
      if (stopping()) {
        claim.notTaken.push({ name: file.name, reason: SHUTTING_DOWN });
        continue;
      }
      const identity = await this.files
        .identify(file.path, file.gzip)
        .catch((error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return undefined; // taken by another run meanwhile
          throw error;
        });
      if (!identity) continue;
      const skip = (outcome: SkippedFile['outcome'], reason: string, twinOf?: string) => {
        claim.files.push({ claimed: false, name: file.name, identity, outcome, reason, twinOf });
        this.logger.log(`Run ${runId}: ${file.name} ${outcome} (${reason})`);
      };
      const twinOf = claimedBySha.get(identity.sha256);
      if (twinOf !== undefined) {
        skip('skipped_same_content', `same content as "${twinOf}" in this run`, twinOf);
        continue;
      }
      if (!(await session.tryLockFile(identity.sha256))) {
        skip('skipped_busy', 'another run is processing the same content');
        continue;
      }
      const seen = await this.ledger.findEntry(identity.sha256);
      if (seen) {
        await session.unlockFile(identity.sha256);
        skip(
          'skipped_already_seen',
          `same content as "${seen.fileName}", already ${seen.outcome} by run ${seen.runId}`,
        );
        continue;
      }
      claimedBySha.set(identity.sha256, file.name);
      claim.files.push({ ...file, claimed: true, identity });
      claim.claimedBytes += identity.size;
    }
    return claim;
  }
}

export const SHUTTING_DOWN = 'the pipeline was shutting down; left for the next run';
