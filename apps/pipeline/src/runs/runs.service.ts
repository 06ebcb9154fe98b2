import { randomBytes } from 'node:crypto';
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { APP_CONFIG } from '@des/shared';
import {
  FAILED_HEADER,
  FAILURE_REASONS,
  reasonCounts,
  SUCCESS_HEADER,
} from '../applications/application-rules';
import { parseIsoDate, ymdOf } from '../applications/birthday';
import { PipelineConfig } from '../config';
import { IncomingFile, NotTaken, scanIncoming } from '../intake/incoming-folder';
import { BatchFilesRepository, FileIdentity, OutputPart } from '../files/batch-files.repository';
import { FileCounts, processBatchFile } from '../processing/batch-processor';
import { RowEvaluatorThread } from '../processing/row-evaluator-thread';
import { RunView, toRunView } from './dto/run.view';
import { LedgerEntry } from '../ledger/ledger-entry.entity';
import { CsvPartWriter } from '../files/csv-part-writer';
import {
  IdCollisions,
  IssuedIdTable,
  LedgerRepository,
  LedgerSession,
} from '../ledger/ledger.repository';
import { FileOutcomeName, RunFile } from './run-file.entity';
import { DuplicateSample, RunDuplicateDetector } from '../duplicates/run-duplicate-detector';
import { Run, RunTrigger } from './run.entity';

export interface RunProgress {
  file: string;
  rows: number;
  bytes: number;
  totalBytes: number;
}

export interface StartedRun {
  id: string;
  /** Settles when the run ends, with its final view (also when it failed). */
  finished: Promise<RunView>;
}

interface FileResult {
  name: string;
  identity: FileIdentity;
  outcome: FileOutcomeName;
  reason?: string;
  counts?: FileCounts;
  parts?: { success: string; failed: string };
  movedTo?: string;
}

/** What a run's files gave, before the commit. */
interface ProcessedFiles {
  results: FileResult[];
  /** File names by file index. */
  fileNames: readonly string[];
  duplicateSamples: DuplicateSample[];
  notTaken: NotTaken[];
}

const SUCCESS_HEADER_BYTES = Buffer.byteLength(`${SUCCESS_HEADER.join(',')}\n`);
const FAILED_HEADER_BYTES = Buffer.byteLength(`${FAILED_HEADER.join(',')}\n`);

/** `20260101T120000Z-1a2b3c`: sortable by start time, unique across replicas. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

/**
 * A run: claim every incoming file (advisory lock per content hash, then the ledger), stream
 * each through the rules into hidden part files, assemble the two outputs, commit the ledger in
 * one transaction, then publish the outputs and move the inputs. See the README's protocol.
 */
@Injectable()
export class RunsService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(RunsService.name);
  private readonly referenceDate: number;
  /** Runs of this process still going, with their live progress (shown by findRun/listRuns). */
  private readonly live = new Map<
    string,
    { finished: Promise<RunView>; rowsRead: number; currentFile: string | null }
  >();
  /** Set on shutdown (SIGTERM): no new run starts, a running one takes no new file. */
  private stopping = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: PipelineConfig,
    private readonly ledger: LedgerRepository,
    private readonly files: BatchFilesRepository,
  ) {
    this.referenceDate = parseIsoDate(config.PIPELINE_REFERENCE_DATE)!;
  }

  /** Runs now and waits for the result. */
  async run(trigger: RunTrigger, onProgress?: (progress: RunProgress) => void): Promise<RunView> {
    return (await this.start(trigger, onProgress)).finished;
  }

  /** Registers a run and returns its id once it holds its lock; the work goes on in `finished`. */
  async start(
    trigger: RunTrigger,
    onProgress?: (progress: RunProgress) => void,
  ): Promise<StartedRun> {
    if (this.stopping) throw new ServiceUnavailableException('the pipeline is shutting down');
    await this.recover();
    const id = newRunId();
    const session = await this.ledger.openSession();
    try {
      // Locked before it exists, so recovery never mistakes a starting run for a dead one.
      await session.lockRun(id);
      await this.ledger.insertRun({ id, trigger, status: 'running' });
    } catch (error) {
      await session.close();
      throw error;
    }
    this.logger.log(`Run ${id} started (${trigger})`);
    const live = { rowsRead: 0, currentFile: null as string | null };
    const finished = this.execute(id, session, (progress) => {
      live.rowsRead = progress.rows;
      live.currentFile = progress.file;
      onProgress?.(progress);
    }).finally(async () => {
      await session.close();
      this.live.delete(id);
    });
    this.live.set(id, Object.assign(live, { finished }));
    return { id, finished };
  }

  /**
   * On shutdown (SIGTERM, Ctrl-C, app.close()): no new run starts; a running one finishes the
   * file it is reading, leaves the rest in the incoming folder and commits, then the app stops.
   */
  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.stopping = true;
    if (!this.live.size) return;
    for (const [id, run] of this.live) {
      this.logger.warn(
        `Stopping${signal ? ` (${signal})` : ''}: run ${id} finishes ${run.currentFile ?? 'its current file'} and leaves the other files for the next run`,
      );
    }
    await Promise.allSettled([...this.live.values()].map((run) => run.finished));
  }

  /** An HTTP trigger: the started run at once, or its result when the caller waits. */
  async trigger(wait: boolean): Promise<{ finished: boolean; view: RunView }> {
    const started = await this.start('http');
    if (wait) return { finished: true, view: await started.finished };
    started.finished.catch((error: unknown) =>
      this.logger.error(`Run ${started.id}: ${String(error)}`),
    );
    return { finished: false, view: await this.findRun(started.id) };
  }

  async findRun(id: string): Promise<RunView> {
    const run = await this.ledger.findRun(id);
    if (!run) throw new NotFoundException(`Run ${id} does not exist`);
    return this.withProgress(toRunView(run));
  }

  async listRuns(limit: number, offset: number): Promise<{ total: number; runs: RunView[] }> {
    const { runs, total } = await this.ledger.listRuns(limit, offset);
    return { total, runs: runs.map((run) => this.withProgress(toRunView(run))) };
  }

  /** A running run of this process shows how far it got. */
  private withProgress(view: RunView): RunView {
    const live = this.live.get(view.id);
    if (!live || view.status !== 'running') return view;
    return { ...view, rowsRead: live.rowsRead, currentFile: live.currentFile };
  }

  /**
   * Finishes what dead processes left: a committed run is rolled forward (outputs renamed into
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
          if (run?.status === 'committed') await this.rollForward(run, true);
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

  private async execute(
    id: string,
    session: LedgerSession,
    onProgress?: (progress: RunProgress) => void,
  ): Promise<RunView> {
    try {
      await this.files.prepareRun(id);
      const processed = await this.processIncoming(id, session, onProgress);
      session.startRanking(); // in the database while the outputs are assembled here
      const run = await this.commit(id, session, processed);
      await this.rollForward(run, false);
    } catch (error) {
      this.logger.error(`Run ${id} failed: ${String(error)}`);
      await this.files.removeTemporaries(id).catch(() => undefined);
      await this.ledger.updateRun(id, {
        status: 'failed',
        finishedAt: new Date(),
        error: error instanceof Error ? error.message : String(error),
      });
    }
    const view = await this.findRun(id);
    this.logger.log(
      `Run ${id} ${view.status}: ${view.files.length} file(s), ${view.rowsRead} rows, ` +
        `${view.successful} successful, ${view.failed} failed, ${view.duplicates} duplicates`,
    );
    return view;
  }

  private async processIncoming(
    runId: string,
    session: LedgerSession,
    onProgress?: (progress: RunProgress) => void,
  ): Promise<ProcessedFiles> {
    const ids = await session.openIssuedIds();
    const registry = new RunDuplicateDetector(
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
      return await this.processFiles(runId, session, ids, registry, evaluator, onProgress);
    } finally {
      registry.close();
      await evaluator.close();
    }
  }

  private async processFiles(
    runId: string,
    session: LedgerSession,
    ids: IssuedIdTable,
    registry: RunDuplicateDetector,
    evaluator: RowEvaluatorThread,
    onProgress?: (progress: RunProgress) => void,
  ): Promise<ProcessedFiles> {
    const byIndex = new Map<number, FileResult>();
    const incoming = await scanIncoming(
      this.files.paths.incoming,
      this.config.PIPELINE_QUIET_SECONDS * 1000,
    );
    const results: FileResult[] = [];
    const claimed = new Map<string, string>(); // sha256 -> file name, in this run
    let bytesDone = 0;
    let rowsDone = 0;
    const identities: Array<IncomingFile & { identity: FileIdentity }> = [];
    for (const file of incoming.files) {
      const identity = await this.files
        .identify(file.path, file.gzip)
        .catch((error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return undefined; // taken by another run meanwhile
          throw error;
        });
      if (identity) identities.push({ ...file, identity });
    }
    const totalBytes = identities.reduce((sum, file) => sum + file.identity.size, 0);

    for (const [index, { name, path, gzip, identity }] of identities.entries()) {
      if (this.stopping) {
        for (const left of identities.slice(index)) {
          incoming.notTaken.push({
            name: left.name,
            reason: 'the pipeline was shutting down; left for the next run',
          });
        }
        break;
      }
      const result: FileResult = { name, identity, outcome: 'processed' };
      results.push(result);
      const sameContent = claimed.get(identity.sha256);
      if (sameContent !== undefined) {
        result.outcome = 'skipped_same_content';
        result.reason = `same content as "${sameContent}" in this run`;
        continue;
      }
      if (!(await session.tryLockFile(identity.sha256))) {
        result.outcome = 'skipped_busy';
        result.reason = 'another run is processing the same content';
        continue;
      }
      const seen = await this.ledger.findEntry(identity.sha256);
      if (seen) {
        await session.unlockFile(identity.sha256);
        result.outcome = 'skipped_already_seen';
        result.reason = `same content as "${seen.fileName}", already ${seen.outcome} by run ${seen.runId}`;
        continue;
      }
      claimed.set(identity.sha256, name);
      const fileIndex = registry.addFile(name);
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
            registry,
            ids,
            orderShare: this.config.PIPELINE_DATE_ORDER_SHARE / 100,
            onProgress: (rows, bytes) =>
              onProgress?.({
                file: name,
                rows: rowsDone + rows,
                bytes: bytesDone + bytes,
                totalBytes,
              }),
          });
      bytesDone += identity.size;
      if (!(await this.files.unchangedSince(path, identity))) {
        // Still being written by its producer: forget it and let a later run take it whole.
        registry.discardFile(outcome.kind === 'accepted' ? outcome.fileIndex : fileIndex);
        await this.files.removeParts([parts.successPart, parts.failedPart]);
        await session.unlockFile(identity.sha256);
        claimed.delete(identity.sha256);
        result.outcome = 'skipped_changing';
        result.reason = 'the file changed while it was being read; left for the next run';
      } else if (outcome.kind === 'rejected') {
        result.outcome = 'rejected';
        result.reason = outcome.reason;
      } else {
        byIndex.set(outcome.fileIndex, result);
        rowsDone += outcome.counts.read;
        result.counts = outcome.counts;
        result.parts = { success: outcome.successPart, failed: outcome.failedPart };
      }
      this.logFile(runId, result);
    }
    // Rows of files that were not accepted were forgotten: with no accepted file, none is left.
    const last = results.filter((result) => result.parts).at(-1);
    if (registry.spilling && last) await this.resolveDeferred(registry, last, byIndex);
    return {
      results,
      fileNames: registry.fileNames,
      duplicateSamples: registry.duplicateSamples,
      notTaken: incoming.notTaken,
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
   * Decides the rows the registry deferred (its memory was full), appending the kept ones to the
   * last accepted file's parts (so one file still gives outputs that are only renamed), and adds
   * them to their own files' counts.
   */
  private async resolveDeferred(
    registry: RunDuplicateDetector,
    last: FileResult,
    byIndex: Map<number, FileResult>,
  ): Promise<void> {
    const success = new CsvPartWriter(last.parts!.success, undefined);
    const failed = new CsvPartWriter(last.parts!.failed, undefined);
    const counts = await registry.resolveDeferred({
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
      const fileCounts = byIndex.get(fileIndex)?.counts;
      if (!fileCounts) continue;
      fileCounts.successful += deferred.successful;
      fileCounts.failed += deferred.failed;
      fileCounts.duplicates += deferred.duplicates;
      deferred.failureReasons.forEach((count, reason) => {
        fileCounts.failureReasons[reason] += count;
      });
    }
  }

  private async commit(
    runId: string,
    session: LedgerSession,
    { results, fileNames, duplicateSamples, notTaken }: ProcessedFiles,
  ): Promise<Run> {
    const accepted = results.filter((result) => result.parts);
    let outputs: { successful: string; failed: string } | undefined;
    if (accepted.length) {
      const parts = accepted.map((r) => r.parts!);
      const successParts: OutputPart[] = parts.map((part) => ({
        path: part.success,
        headerBytes: SUCCESS_HEADER_BYTES,
      }));
      const failedParts: OutputPart[] = parts.map((part) => ({
        path: part.failed,
        headerBytes: FAILED_HEADER_BYTES,
      }));
      await this.files.assemble(runId, successParts, failedParts);
      outputs = this.files.outputPaths(runId);
    }
    for (const result of results) {
      if (result.outcome === 'processed') {
        result.movedTo = await this.files.destinationFor('processed', result.name, runId);
      } else if (
        ['rejected', 'skipped_already_seen', 'skipped_same_content'].includes(result.outcome)
      ) {
        result.movedTo = await this.files.destinationFor('rejected', result.name, runId);
      }
    }
    const sum = (pick: (counts: FileCounts) => number) =>
      accepted.reduce((total, result) => total + pick(result.counts!), 0);
    const run = (collisions: IdCollisions): Partial<Run> => ({
      committedAt: new Date(),
      successfulOutput: outputs?.successful ?? null,
      failedOutput: outputs?.failed ?? null,
      rowsRead: sum((c) => c.read),
      successful: sum((c) => c.successful),
      failed: sum((c) => c.failed),
      duplicates: sum((c) => c.duplicates),
      alreadyEmitted: sum((c) => c.alreadyEmitted),
      failureReasons: reasonCounts(
        accepted.reduce(
          (total, result) =>
            total.map((count, reason) => count + result.counts!.failureReasons[reason]),
          new Uint32Array(FAILURE_REASONS.length),
        ),
      ),
      ambiguousDates: sum((c) => c.ambiguousDates),
      membershipCollisions: collisions.inRun.total,
      crossRunCollisions: collisions.crossRun.total,
      summary: {
        membershipCollisionSamples: collisions.inRun.samples,
        crossRunCollisionSamples: collisions.crossRun.samples,
        duplicateSamples,
        notTaken,
      },
    });
    const files = results.map((result) =>
      Object.assign(new RunFile(), {
        runId,
        fileName: result.name,
        sha256: result.identity.sha256,
        sizeBytes: String(result.identity.size),
        outcome: result.outcome,
        reason: result.reason ?? null,
        rowsRead: result.counts?.read ?? 0,
        successful: result.counts?.successful ?? 0,
        failed: result.counts?.failed ?? 0,
        duplicates: result.counts?.duplicates ?? 0,
        alreadyEmitted: result.counts?.alreadyEmitted ?? 0,
        failureReasons: result.counts ? reasonCounts(result.counts.failureReasons) : null,
        ambiguousDates: result.counts?.ambiguousDates ?? 0,
        dateOrders: result.counts?.dateOrders ?? null,
        movedTo: result.movedTo ?? null,
      }),
    );
    const entries = results
      .filter((result) => result.outcome === 'processed' || result.outcome === 'rejected')
      .map((result) =>
        Object.assign(new LedgerEntry(), {
          sha256: result.identity.sha256,
          runId,
          fileName: result.name,
          outcome: result.outcome,
        }),
      );
    await session.commit(runId, files, entries, fileNames, run);
    return (await this.ledger.findRun(runId))!;
  }

  /**
   * After the commit everything is redoable: publish outputs, move inputs, mark completed.
   * In recovery each input is hashed again, so only the very content the run recorded is
   * moved, never a newer file dropped under the same name since.
   */
  private async rollForward(run: Run, verify: boolean): Promise<void> {
    await this.files.publish(run.id);
    for (const file of run.files ?? []) {
      if (!file.movedTo) continue;
      if (verify && (await this.files.incomingIdentity(file.fileName))?.sha256 !== file.sha256) {
        continue;
      }
      const reason = file.outcome === 'processed' ? undefined : (file.reason ?? file.outcome);
      await this.files.moveInput(file.fileName, file.movedTo, reason);
    }
    await this.files.removeTemporaries(run.id);
    await this.ledger.updateRun(run.id, { status: 'completed', finishedAt: new Date() });
  }
}
