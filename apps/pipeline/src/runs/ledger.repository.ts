import { Injectable } from '@nestjs/common';
import { DataSource, In, QueryRunner } from 'typeorm';
import { LedgerEntry } from './ledger-entry.entity';
import { RunFile } from './run-file.entity';
import { Run, RunStatus } from './run.entity';

// Advisory-lock keys: one 64-bit key per run id and per file hash, namespaced by prefix.
const LOCK_KEY = 'hashtextextended($1, 0)';

/**
 * One database session held for a whole run. Its advisory locks (on the run and on every file
 * it claimed) live exactly as long as the connection: if the process dies, PostgreSQL drops
 * them, and the files become claimable by the next run.
 */
export class LedgerSession {
  constructor(private readonly runner: QueryRunner) {}

  async lockRun(runId: string): Promise<void> {
    await this.runner.query(`SELECT pg_advisory_lock(${LOCK_KEY})`, [`pipeline:run:${runId}`]);
  }

  async tryLockRun(runId: string): Promise<boolean> {
    return this.tryLock(`pipeline:run:${runId}`);
  }

  async unlockRun(runId: string): Promise<void> {
    await this.runner.query(`SELECT pg_advisory_unlock(${LOCK_KEY})`, [`pipeline:run:${runId}`]);
  }

  /** Claims a file content for this session; false when another live run holds it. */
  async tryLockFile(sha256: string): Promise<boolean> {
    return this.tryLock(`pipeline:file:${sha256}`);
  }

  async unlockFile(sha256: string): Promise<void> {
    await this.runner.query(`SELECT pg_advisory_unlock(${LOCK_KEY})`, [`pipeline:file:${sha256}`]);
  }

  /**
   * Makes a run's result final in one transaction: ledger entries (the primary key refuses a
   * content recorded by anyone else), per-file rows, and the run's `committed` status.
   */
  async commit(
    run: Partial<Run> & { id: string },
    files: RunFile[],
    ledger: LedgerEntry[],
  ): Promise<void> {
    await this.runner.startTransaction();
    try {
      const manager = this.runner.manager;
      if (ledger.length) await manager.insert(LedgerEntry, ledger);
      if (files.length) await manager.insert(RunFile, files);
      await manager.update(Run, { id: run.id, status: 'running' }, { ...run, status: 'committed' });
      await this.runner.commitTransaction();
    } catch (error) {
      await this.runner.rollbackTransaction();
      throw error;
    }
  }

  async close(): Promise<void> {
    try {
      await this.runner.query('SELECT pg_advisory_unlock_all()');
    } finally {
      await this.runner.release();
    }
  }

  private async tryLock(name: string): Promise<boolean> {
    const [row] = (await this.runner.query(`SELECT pg_try_advisory_lock(${LOCK_KEY}) AS locked`, [
      name,
    ])) as Array<{ locked: boolean }>;
    return row.locked;
  }
}

/** The `pipeline` schema: runs, their files, and the exactly-once ledger. */
@Injectable()
export class LedgerRepository {
  constructor(private readonly dataSource: DataSource) {}

  async openSession(): Promise<LedgerSession> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    return new LedgerSession(runner);
  }

  async insertRun(run: Pick<Run, 'id' | 'trigger' | 'status'>): Promise<void> {
    await this.dataSource.getRepository(Run).insert(run);
  }

  async updateRun(id: string, changes: Partial<Run>): Promise<void> {
    await this.dataSource.getRepository(Run).update({ id }, changes);
  }

  async findEntry(sha256: string): Promise<LedgerEntry | null> {
    return this.dataSource.getRepository(LedgerEntry).findOneBy({ sha256 });
  }

  async isEmpty(): Promise<boolean> {
    return !(await this.dataSource.getRepository(LedgerEntry).exists());
  }

  async findRun(id: string): Promise<Run | null> {
    return this.dataSource
      .getRepository(Run)
      .findOne({ where: { id }, relations: { files: true }, order: { files: { id: 'ASC' } } });
  }

  async listRuns(limit: number, offset: number): Promise<{ runs: Run[]; total: number }> {
    const [runs, total] = await this.dataSource.getRepository(Run).findAndCount({
      order: { startedAt: 'DESC', id: 'DESC' },
      take: limit,
      skip: offset,
    });
    if (runs.length) {
      const files = await this.dataSource.getRepository(RunFile).find({
        where: { runId: In(runs.map((run) => run.id)) },
        order: { id: 'ASC' },
      });
      for (const run of runs) run.files = files.filter((file) => file.runId === run.id);
    }
    return { runs, total };
  }

  /** Runs that did not reach an end state: in progress elsewhere, or left by a dead process. */
  async unfinishedRuns(): Promise<Run[]> {
    return this.dataSource.getRepository(Run).find({
      where: { status: In<RunStatus>(['running', 'committed']) },
      relations: { files: true },
    });
  }
}
