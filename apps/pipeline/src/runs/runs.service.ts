import { randomBytes } from 'node:crypto';
import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { PublishStage } from '../files/publish.stage';
import { ClaimStage } from '../intake/claim.stage';
import { CommitStage } from '../ledger/commit.stage';
import { LedgerRepository, LedgerSession } from '../ledger/ledger.repository';
import { ProcessStage, RunProgress } from '../processing/process.stage';
import { RunView, toRunView } from './dto/run.view';
import { RunRecovery } from './run-recovery';
import { RunTrigger } from './run.entity';

export interface StartedRun {
  id: string;
  /** Settles when the run ends, with its final view (also when it failed). */
  finished: Promise<RunView>;
}

/** `20260101T120000Z-1a2b3c`: sortable by start time, unique across replicas. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

/**
 * Starts, runs and shows runs. A run is four stages, each with its own result: claim the
 * complete new incoming files, process them into part files, commit (outputs assembled, ledger
 * in one transaction), publish (outputs renamed into place, inputs moved). See the README's
 * protocol.
 */
@Injectable()
export class RunsService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(RunsService.name);
  /** Runs of this process still going, with their live progress (shown by findRun/listRuns). */
  private readonly live = new Map<
    string,
    { finished: Promise<RunView>; rowsRead: number; currentFile: string | null }
  >();
  /** Set on shutdown (SIGTERM): no new run starts, a running one takes no new file. */
  private stopping = false;

  constructor(
    private readonly ledger: LedgerRepository,
    private readonly recovery: RunRecovery,
    private readonly claimStage: ClaimStage,
    private readonly processStage: ProcessStage,
    private readonly commitStage: CommitStage,
    private readonly publishStage: PublishStage,
  ) {}

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
    await this.recovery.recover();
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

  private async execute(
    id: string,
    session: LedgerSession,
    onProgress: (progress: RunProgress) => void,
  ): Promise<RunView> {
    const stopping = () => this.stopping;
    try {
      const claim = await this.claimStage.claim(id, session, stopping);
      const processed = await this.processStage.process(id, session, claim, stopping, onProgress);
      const committed = await this.commitStage.commit(id, session, processed);
      const { replaced } = await this.publishStage.publish(committed);
      if (replaced.length) {
        this.logger.warn(
          `Run ${id} left ${replaced.join(', ')} in the incoming folder: changed after the run ` +
            `took it as already seen; the next run reads it whole`,
        );
      }
    } catch (error) {
      await this.recovery.fail(id, error);
    }
    const view = await this.findRun(id);
    this.logger.log(
      `Run ${id} ${view.status}: ${view.files.length} file(s), ${view.rowsRead} rows, ` +
        `${view.successful} successful, ${view.failed} failed, ${view.duplicates} duplicates`,
    );
    return view;
  }
}
