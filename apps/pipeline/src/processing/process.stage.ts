import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '@des/shared';
import { parseIsoDate, ymdOf } from '../applications/birthday';
import { PipelineConfig } from '../config';
import { DuplicateSample, RunDuplicateDetector } from '../duplicates/run-duplicate-detector';
import { BatchFilesRepository, FileIdentity } from '../files/batch-files.repository';
import { CsvPartWriter } from '../files/csv-part-writer';
import { Claim, ClaimedFile, SHUTTING_DOWN, SkippedFile } from '../intake/claim.stage';
import { NotTaken } from '../intake/incoming-folder';
import { IssuedIdTable, LedgerSession } from '../ledger/ledger.repository';
import type { FileOutcomeName } from '../runs/run-file.entity';
import { FileCounts, processBatchFile } from './batch-processor';
import { RowEvaluatorThread } from './row-evaluator-thread';

export interface RunProgress {
  file: string;
  rows: number;
  bytes: number;
  totalBytes: number;
}

/** What a run did with one complete incoming file, before the commit. */
export interface FileResult {
  name: string;
  identity: FileIdentity;
  outcome: FileOutcomeName;
  reason?: string;
  /** Set for an accepted file (`processed`). */
  counts?: FileCounts;
  /** Its two part files in the run's work folder, set for an accepted file. */
  parts?: { success: string; failed: string };
}

/** What the processing stage gives the commit stage. */
export interface ProcessedRun {
  /** Every complete incoming file, in folder order. */
  files: FileResult[];
  /** File names by the duplicate detector's file index (ids and samples refer to them). */
  fileNames: readonly string[];
  duplicateSamples: DuplicateSample[];
  notTaken: NotTaken[];
}

/** The run's per-file tools, open while its files are read. */
interface RunTools {
  ids: IssuedIdTable;
  duplicates: RunDuplicateDetector;
  evaluator: RowEvaluatorThread;
}

/**
 * The second stage of a run: reads each claimed file through the rules into part files in the
 * run's work folder (see processBatchFile), keeps rows equal to an earlier one once, and streams
 * the issued ids to the run's session. A file that changed while it was read is given up and
 * left for a later run. Nothing here is visible to readers of the published folders.
 */
@Injectable()
export class ProcessStage {
  private readonly logger = new Logger(ProcessStage.name);
  private readonly referenceDate: number;

  constructor(
    @Inject(APP_CONFIG) private readonly config: PipelineConfig,
    private readonly files: BatchFilesRepository,
  ) {
    this.referenceDate = parseIsoDate(config.PIPELINE_REFERENCE_DATE)!;
  }

  /**
   * `stopping` turns true when the app shuts down: the file being read is finished, no other is
   * started.
   */
  async process(
    runId: string,
    session: LedgerSession,
    claim: Claim,
    stopping: () => boolean,
    onProgress?: (progress: RunProgress) => void,
  ): Promise<ProcessedRun> {
    await this.files.prepareRun(runId);
    const ids = await session.openIssuedIds();
    const duplicates = new RunDuplicateDetector(
      ids,
      this.files.workDir(runId),
      this.config.PIPELINE_DUPLICATE_SLOTS,
      await session.loadEmitted(),
    );
    const evaluator = new RowEvaluatorThread({
      referenceDate: this.referenceDate,
      minAge: this.config.PIPELINE_MIN_AGE,
      emailEndings: this.config.PIPELINE_EMAIL_ENDINGS,
      today: ymdOf(new Date()),
    });
    try {
      const tools = { ids, duplicates, evaluator };
      return await this.processFiles(runId, session, claim, tools, stopping, onProgress);
    } finally {
      duplicates.close();
      await evaluator.close();
    }
  }

  private async processFiles(
    runId: string,
    session: LedgerSession,
    claim: Claim,
    tools: RunTools,
    stopping: () => boolean,
    onProgress?: (progress: RunProgress) => void,
  ): Promise<ProcessedRun> {
    const notTaken = [...claim.notTaken];
    const results = new Map<string, FileResult>();
    /** Files left in the incoming folder, with why (their same-content twins are left too). */
    const left = new Map<string, string>();
    const byFileIndex = new Map<number, FileResult>();
    let bytesDone = 0;
    let rowsDone = 0;
    for (const file of claim.files.filter((entry): entry is ClaimedFile => entry.claimed)) {
      if (stopping()) {
        left.set(file.name, SHUTTING_DOWN);
        continue;
      }
      const result = await this.processFile(runId, file, tools, (rows, bytes) =>
        onProgress?.({
          file: file.name,
          rows: rowsDone + rows,
          bytes: bytesDone + bytes,
          totalBytes: claim.claimedBytes,
        }),
      );
      bytesDone += file.identity.size;
      if (result.outcome === 'skipped_changing') {
        // Let another run take it once it is whole.
        await session.unlockFile(file.identity.sha256);
        left.set(file.name, result.reason!);
      }
      if (result.counts) {
        rowsDone += result.counts.read;
        byFileIndex.set(result.fileIndex, result);
      }
      results.set(file.name, result);
      this.logFile(runId, result);
    }
    // Rows of files that were not accepted were forgotten: with no accepted file, none is left.
    const last = [...results.values()].filter((result) => result.parts).at(-1);
    if (tools.duplicates.spilling && last) {
      await this.resolveDeferred(tools.duplicates, last, byFileIndex);
    }

    const files: FileResult[] = [];
    for (const entry of claim.files) {
      const leftWhy = left.get(entry.claimed ? entry.name : (entry.twinOf ?? ''));
      if (leftWhy === SHUTTING_DOWN) notTaken.push({ name: entry.name, reason: SHUTTING_DOWN });
      else if (entry.claimed) files.push(results.get(entry.name)!);
      else if (leftWhy) files.push(leftTwin(entry, leftWhy));
      else files.push(entry);
    }
    return {
      files,
      fileNames: tools.duplicates.fileNames,
      duplicateSamples: tools.duplicates.duplicateSamples,
      notTaken,
    };
  }

  /** One claimed file through the rules: accepted (with counts and parts), rejected or changing. */
  private async processFile(
    runId: string,
    { name, path, gzip, identity }: ClaimedFile,
    { ids, duplicates, evaluator }: RunTools,
    onProgress: (rows: number, bytes: number) => void,
  ): Promise<FileResult & { fileIndex: number }> {
    const fileIndex = duplicates.addFile(name);
    const parts = this.files.partPaths(runId, fileIndex);
    const outcome = identity.encodingProblem
      ? ({ kind: 'rejected', reason: identity.encodingProblem } as const)
      : await processBatchFile({
          path,
          gzip,
          fileName: name,
          fileIndex,
          ...parts,
          evaluator,
          registry: duplicates,
          ids,
          orderShare: this.config.PIPELINE_DATE_ORDER_SHARE / 100,
          onProgress,
        });
    if (!(await this.files.unchangedSince(path, identity))) {
      // Still being written by its producer: forget its rows.
      duplicates.discardFile(outcome.kind === 'accepted' ? outcome.fileIndex : fileIndex);
      await this.files.removeParts([parts.successPart, parts.failedPart]);
      return {
        name,
        identity,
        fileIndex,
        outcome: 'skipped_changing',
        reason: 'the file changed while it was being read; left for the next run',
      };
    }
    if (outcome.kind === 'rejected') {
      return { name, identity, fileIndex, outcome: 'rejected', reason: outcome.reason };
    }
    return {
      name,
      identity,
      fileIndex: outcome.fileIndex,
      outcome: 'processed',
      counts: outcome.counts,
      parts: { success: outcome.successPart, failed: outcome.failedPart },
    };
  }

  private logFile(runId: string, { name, outcome, reason, counts }: FileResult): void {
    const detail = counts
      ? `${counts.read} rows: ${counts.successful} successful, ${counts.failed} failed, ` +
        `${counts.duplicates} duplicates, ${counts.alreadyEmitted} already emitted`
      : (reason ?? '');
    this.logger.log(`Run ${runId}: ${name} ${outcome} (${detail})`);
  }

  /**
   * Decides the rows the duplicate detector deferred (its memory was full), appending the kept
   * ones to the last accepted file's parts (so one file still gives outputs that are only
   * renamed), and adds them to their own files' counts.
   */
  private async resolveDeferred(
    duplicates: RunDuplicateDetector,
    last: FileResult,
    byFileIndex: Map<number, FileResult>,
  ): Promise<void> {
    const success = new CsvPartWriter(last.parts!.success, undefined);
    const failed = new CsvPartWriter(last.parts!.failed, undefined);
    const counts = await duplicates.resolveDeferred({
      addSuccessful: (line) => success.addLines(line),
      addFailed: (line) => failed.addLines(line),
      get congested() {
        return success.congested || failed.congested;
      },
      drained: async () => {
        await Promise.all([success.drained(), failed.drained()]);
      },
    });
    await Promise.all([success.close(), failed.close()]);
    for (const [fileIndex, deferred] of counts) {
      const fileCounts = byFileIndex.get(fileIndex)?.counts;
      if (!fileCounts) continue;
      fileCounts.successful += deferred.successful;
      fileCounts.failed += deferred.failed;
      fileCounts.duplicates += deferred.duplicates;
      deferred.failureReasons.forEach((count, reason) => {
        fileCounts.failureReasons[reason] += count;
      });
    }
  }
}

/** A same-content twin of a file that changed while read: left for the next run with it. */
function leftTwin({ name, identity, twinOf }: SkippedFile, why: string): FileResult {
  return {
    name,
    identity,
    outcome: 'skipped_changing',
    reason: `same content as "${twinOf}", which was left: ${why}`,
  };
}
