import { Injectable } from '@nestjs/common';
import { DataSource, In, QueryRunner } from 'typeorm';
import type { IssuedIdBatch } from './batch-files.repository';
import { LedgerEntry } from './ledger-entry.entity';
import { RunFile } from './run-file.entity';
import { Run, RunStatus } from './run.entity';

// Advisory-lock keys: one 64-bit key per run id and per file hash, namespaced by prefix.
const LOCK_KEY = 'hashtextextended($1, 0)';
const CROSS_RUN_SAMPLES = 20;
// lower() under the "C" collation folds ASCII letters only, as the in-run check does.
const FOLD = (sql: string) => `lower(${sql} COLLATE "C")`;

/** Ids of a run that earlier runs issued to someone else: how many, and the first few. */
export interface CrossRunCollisions {
  total: number;
  samples: Array<{ membershipId: string; earlierRunId: string }>;
}

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
   * content recorded by anyone else), per-file rows, the membership ids it issued (checked
   * against those of earlier runs), and the run's `committed` status.
   */
  async commit(
    runId: string,
    files: RunFile[],
    ledger: LedgerEntry[],
    issuedIds: AsyncIterable<IssuedIdBatch> | undefined,
    finalRun: (collisions: CrossRunCollisions) => Partial<Run>,
  ): Promise<void> {
    await this.runner.startTransaction();
    try {
      const manager = this.runner.manager;
      if (ledger.length) await manager.insert(LedgerEntry, ledger);
      if (files.length) await manager.insert(RunFile, files);
      const collisions = issuedIds
        ? await this.recordIssuedIds(runId, issuedIds)
        : { total: 0, samples: [] };
      await manager.update(
        Run,
        { id: runId, status: 'running' },
        { ...finalRun(collisions), status: 'committed' },
      );
      await this.runner.commitTransaction();
    } catch (error) {
      await this.runner.rollbackTransaction();
      throw error;
    }
  }

  /**
   * Inside the commit transaction: loads the run's ids into a temporary table (multi-row inserts
   * from arrays, a batch at a time), keeps each id's first holder in the run, compares them with
   * the ids earlier runs issued, and records the new ones, in one statement. The table lock
   * serialises that step between committing runs, so two runs issuing the same new id to
   * different people cannot miss each other, and plain inserts cannot conflict.
   */
  private async recordIssuedIds(
    runId: string,
    batches: AsyncIterable<IssuedIdBatch>,
  ): Promise<CrossRunCollisions> {
    await this.runner.query(
      'CREATE TEMPORARY TABLE run_issued_ids (ord integer NOT NULL, membership_id text NOT NULL, person text NOT NULL) ON COMMIT DROP',
    );
    // Each batch is sent while the next is read from disk; one insert in flight at a time.
    let offset = 0;
    let inFlight: Promise<unknown> = Promise.resolve();
    try {
      for await (const batch of batches) {
        await inFlight;
        inFlight = this.runner.query(
          `INSERT INTO run_issued_ids (ord, membership_id, person)
           SELECT $1::integer + ord::integer, id, person
           FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(id, person, ord)`,
          [offset, batch.ids, batch.persons],
        );
        offset += batch.ids.length;
      }
    } catch (error) {
      await inFlight.catch(() => undefined);
      throw error;
    }
    await inFlight;
    // The sort of DISTINCT ON stays in memory for a million-row run.
    await this.runner.query(`SET LOCAL work_mem = '64MB'`);
    await this.runner.query(
      'LOCK TABLE "pipeline"."issued_membership_ids" IN SHARE ROW EXCLUSIVE MODE',
    );
    const rows = (await this.runner.query(
      `WITH firsts AS MATERIALIZED (
         SELECT DISTINCT ON (id_key) id_key, membership_id, ord, person_key
         FROM (SELECT ${FOLD('membership_id')} AS id_key, membership_id, ord,
                      hashtextextended(${FOLD('person')}, 0) AS person_key
               FROM run_issued_ids) AS held
         ORDER BY id_key, ord),
       checked AS MATERIALIZED (
         SELECT f.*, i.person_key AS earlier_key, i.run_id AS earlier_run
         FROM firsts f LEFT JOIN "pipeline"."issued_membership_ids" i ON i.membership_id = f.id_key),
       issued AS (
         INSERT INTO "pipeline"."issued_membership_ids" (membership_id, person_key, run_id)
         SELECT id_key, person_key, $1 FROM checked WHERE earlier_run IS NULL)
       SELECT membership_id, earlier_run, count(*) OVER () AS total
       FROM checked
       WHERE earlier_key <> person_key
       ORDER BY ord
       LIMIT ${CROSS_RUN_SAMPLES}`,
      [runId],
    )) as Array<{ membership_id: string; earlier_run: string; total: string }>;
    return {
      total: rows.length ? Number(rows[0].total) : 0,
      samples: rows.map((row) => ({
        membershipId: row.membership_id,
        earlierRunId: row.earlier_run,
      })),
    };
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
