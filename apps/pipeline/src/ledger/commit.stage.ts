import { Injectable } from '@nestjs/common';
import {
  FAILED_HEADER,
  FAILURE_REASONS,
  reasonCounts,
  SUCCESS_HEADER,
} from '../applications/application-rules';
import { BatchFilesRepository, OutputPart } from '../files/batch-files.repository';
import type { FileCounts } from '../processing/batch-processor';
import type { FileResult, ProcessedRun } from '../processing/process.stage';
import { RunFile } from '../runs/run-file.entity';
import { Run } from '../runs/run.entity';
import { LedgerEntry } from './ledger-entry.entity';
import { IdCollisions, LedgerRepository, LedgerSession } from './ledger.repository';

const SUCCESS_HEADER_BYTES = Buffer.byteLength(`${SUCCESS_HEADER.join(',')}\n`);
const FAILED_HEADER_BYTES = Buffer.byteLength(`${FAILED_HEADER.join(',')}\n`);

/** Outcomes whose input leaves the incoming folder, and where it goes. */
const DESTINATION: Partial<Record<FileResult['outcome'], 'processed' | 'rejected'>> = {
  processed: 'processed',
  rejected: 'rejected',
  skipped_already_seen: 'rejected',
  skipped_same_content: 'rejected',
};

/**
 * The third stage of a run: joins the accepted files' parts into each output's hidden temporary
 * file beside its final name (made durable), decides where each input goes, and makes all of it
 * final in one transaction: ledger entries, per-file rows, issued ids, emitted applications and
 * the run's summary, with status `committed`. Before that transaction a crash leaves nothing;
 * after it, the publish stage (or recovery) only renames and moves.
 */
@Injectable()
export class CommitStage {
  constructor(
    private readonly files: BatchFilesRepository,
    private readonly ledger: LedgerRepository,
  ) {}

  /** Returns the committed run, with its files. */
  async commit(runId: string, session: LedgerSession, processed: ProcessedRun): Promise<Run> {
    session.startRanking(); // in the database while the outputs are assembled here
    const accepted = processed.files.filter((file) => file.parts);
    const outputs = accepted.length ? await this.assemble(runId, accepted) : undefined;
    const runFiles: RunFile[] = [];
    for (const file of processed.files) {
      const folder = DESTINATION[file.outcome];
      const movedTo = folder && (await this.files.destinationFor(folder, file.name, runId));
      runFiles.push(runFileOf(runId, file, movedTo ?? null));
    }
    const entries = processed.files
      .filter((file) => file.outcome === 'processed' || file.outcome === 'rejected')
      .map((file) =>
        Object.assign(new LedgerEntry(), {
          sha256: file.identity.sha256,
          runId,
          fileName: file.name,
          outcome: file.outcome,
        }),
      );
    const counts = accepted.map((file) => file.counts!);
    await session.commit(runId, runFiles, entries, processed.fileNames, (collisions) =>
      committedRun(outputs, counts, collisions, processed),
    );
    return (await this.ledger.findRun(runId))!;
  }

  private async assemble(runId: string, accepted: FileResult[]) {
    const parts = accepted.map((file) => file.parts!);
    const successParts: OutputPart[] = parts.map((part) => ({
      path: part.success,
      headerBytes: SUCCESS_HEADER_BYTES,
    }));
    const failedParts: OutputPart[] = parts.map((part) => ({
      path: part.failed,
      headerBytes: FAILED_HEADER_BYTES,
    }));
    await this.files.assemble(runId, successParts, failedParts);
    return this.files.outputPaths(runId);
  }
}

/** The run's summary as committed: totals over the accepted files, collisions and samples. */
function committedRun(
  outputs: { successful: string; failed: string } | undefined,
  counts: FileCounts[],
  collisions: IdCollisions,
  { duplicateSamples, notTaken }: ProcessedRun,
): Partial<Run> {
  const sum = (pick: (counts: FileCounts) => number) =>
    counts.reduce((total, fileCounts) => total + pick(fileCounts), 0);
  const failureReasons = new Uint32Array(FAILURE_REASONS.length);
  for (const fileCounts of counts) {
    fileCounts.failureReasons.forEach((count, reason) => (failureReasons[reason] += count));
  }
  return {
    committedAt: new Date(),
    successfulOutput: outputs?.successful ?? null,
    failedOutput: outputs?.failed ?? null,
    rowsRead: sum((c) => c.read),
    successful: sum((c) => c.successful),
    failed: sum((c) => c.failed),
    duplicates: sum((c) => c.duplicates),
    alreadyEmitted: sum((c) => c.alreadyEmitted),
    failureReasons: reasonCounts(failureReasons),
    ambiguousDates: sum((c) => c.ambiguousDates),
    membershipCollisions: collisions.inRun.total,
    crossRunCollisions: collisions.crossRun.total,
    summary: {
      membershipCollisionSamples: collisions.inRun.samples,
      crossRunCollisionSamples: collisions.crossRun.samples,
      duplicateSamples,
      notTaken,
    },
  };
}

function runFileOf(runId: string, file: FileResult, movedTo: string | null): RunFile {
  const { counts } = file;
  return Object.assign(new RunFile(), {
    runId,
    fileName: file.name,
    sha256: file.identity.sha256,
    sizeBytes: String(file.identity.size),
    outcome: file.outcome,
    reason: file.reason ?? null,
    rowsRead: counts?.read ?? 0,
    successful: counts?.successful ?? 0,
    failed: counts?.failed ?? 0,
    duplicates: counts?.duplicates ?? 0,
    alreadyEmitted: counts?.alreadyEmitted ?? 0,
    failureReasons: counts ? reasonCounts(counts.failureReasons) : null,
    ambiguousDates: counts?.ambiguousDates ?? 0,
    dateOrders: counts?.dateOrders ?? null,
    movedTo,
  });
}
