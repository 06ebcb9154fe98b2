import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@des/shared';
import { EmittedApplications, FINGERPRINT_OF } from '../duplicates/emitted-applications';
import { PipelineConfig } from '../config';
import { DataSource, In, QueryRunner } from 'typeorm';
import type { CollisionSample, IssuedIdSink, RowRef } from '../duplicates/run-duplicate-detector';
import { LedgerEntry } from './ledger-entry.entity';
import { RunFile } from '../runs/run-file.entity';
import { Run, RunStatus } from '../runs/run.entity';

// Advisory-lock keys: one 64-bit key per run id and per file hash, namespaced by prefix.
const LOCK_KEY = 'hashtextextended($1, 0)';
const SAMPLES = 20;
// lower() under the "C" collation folds ASCII letters only, as the in-run check does.
const FOLD = (sql: string) => `lower(${sql} COLLATE "C")`;

const ISSUED_CHUNK_ROWS = 5000;

/**
 * Membership id collisions of a run: within the run (another person got the id first in this
 * run) and across runs (an earlier run issued the id to someone else). Totals and first samples.
 */
export interface IdCollisions {
  inRun: { total: number; samples: CollisionSample[] };
  crossRun: {
    total: number;
    samples: Array<{ membershipId: string; earlierRunId: string; row: RowRef }>;
  };
}

/**
 * The ids a run issues, streamed into a temporary table of the run's own session while its
 * files are processed (multi-row inserts of a few thousand rows, one in flight, so the database
 * works alongside the rules), instead of being kept in memory or read back from the output at
 * commit. Session-temporary: a run that dies takes it with its connection, and nothing reaches
 * `issued_membership_ids` before the commit transaction.
 */
export class IssuedIdTable implements IssuedIdSink {
  private ords: number[] = [];
  private fileIndexes: number[] = [];
  private lines: number[] = [];
  private ids: string[] = [];
  private persons: string[] = [];
  /** The rows' application fingerprints, high and low halves. */
  private fingerprintHis: number[] = [];
  private fingerprintLos: number[] = [];
  /** Set when a value of this chunk holds a line break (never in a successful row, but safe). */
  private lineBreak = false;
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  private failure: unknown;

  constructor(private readonly runner: QueryRunner) {}

  /** True while a chunk waits behind the one in flight: the caller should await drained(). */
  get congested(): boolean {
    return this.queued > 1;
  }

  add(
    ord: number,
    fileIndex: number,
    line: number,
    membershipId: string,
    person: string,
    fingerprintHi: number,
    fingerprintLo: number,
  ): void {
    this.ords.push(ord);
    this.fingerprintHis.push(fingerprintHi);
    this.fingerprintLos.push(fingerprintLo);
    this.fileIndexes.push(fileIndex);
    this.lines.push(line);
    this.ids.push(membershipId);
    this.persons.push(person);
    if (!this.lineBreak && (membershipId.includes('\n') || person.includes('\n'))) {
      this.lineBreak = true;
    }
    if (this.ids.length >= ISSUED_CHUNK_ROWS) this.flush();
  }

  /** Forgets the ids of a file whose rows were thrown away. */
  discardFile(fileIndex: number): void {
    this.flush();
    this.enqueue('DELETE FROM pg_temp.run_issued_ids WHERE file_index = $1', [fileIndex]);
  }

  async drained(): Promise<void> {
    while (this.queued > 1) await this.settled();
  }

  /** Sends what is left and waits for every statement. */
  async finish(): Promise<void> {
    this.flush();
    while (this.queued > 0) await this.settled();
  }

  private async settled(): Promise<void> {
    await this.queue;
    if (this.failure) throw this.failure;
  }

  private flush(): void {
    if (!this.ids.length) return;
    // The keys the check compares are computed here, while the run is still reading files:
    // ASCII-folded id, and a 64-bit hash of the ASCII-folded person.
    // Numbers as array literals and texts joined by line breaks: pg's per-element array quoting
    // was a few hundred milliseconds per million rows. A chunk holding a line break goes as
    // arrays.
    const ints = (values: number[]) => `{${values.join(',')}}`;
    const [texts, ids, persons] = this.lineBreak
      ? ['$4::text[], $5::text[]', this.ids, this.persons]
      : [
          `string_to_array($4, E'\\n'), string_to_array($5, E'\\n')`,
          this.ids.join('\n'),
          this.persons.join('\n'),
        ];
    this.enqueue(
      `INSERT INTO pg_temp.run_issued_ids
         (ord, file_index, line, membership_id, id_key, person_key, fingerprint)
       SELECT o, f, l, id, ${FOLD('id')}, hashtextextended(${FOLD('p')}, 0), ${FINGERPRINT_OF('h', 'w')}
       FROM unnest($1::integer[], $2::integer[], $3::integer[], ${texts}, $6::bigint[], $7::bigint[])
         AS t(o, f, l, id, p, h, w)`,
      [
        ints(this.ords),
        ints(this.fileIndexes),
        ints(this.lines),
        ids,
        persons,
        ints(this.fingerprintHis),
        ints(this.fingerprintLos),
      ],
    );
    this.fingerprintHis = [];
    this.fingerprintLos = [];
    this.lineBreak = false;
    this.ords = [];
    this.fileIndexes = [];
    this.lines = [];
    this.ids = [];
    this.persons = [];
  }

  private enqueue(sql: string, parameters: unknown[]): void {
    this.queued += 1;
    this.queue = this.queue
      .then(async () => {
        if (!this.failure) await this.runner.query(sql, parameters);
      })
      .catch((error: unknown) => {
        this.failure ??= error;
      })
      .finally(() => {
        this.queued -= 1;
      });
  }
}

/**
 * One database session held for a whole run. Its advisory locks (on the run and on every file
 * it claimed) live exactly as long as the connection: if the process dies, PostgreSQL drops
 * them, and the files become claimable by the next run.
 */
export class LedgerSession {
  private issuedIds: IssuedIdTable | undefined;
  private ranking: Promise<void> | undefined;

  constructor(
    private readonly runner: QueryRunner,
    /** Bound of `emitted_applications` (`PIPELINE_EMITTED_LIMIT`). */
    private readonly emittedLimit: number,
  ) {}

  /** Creates this session's table of issued ids (see IssuedIdTable). */
  async openIssuedIds(): Promise<IssuedIdTable> {
    await this.runner.query('DROP TABLE IF EXISTS pg_temp.run_issued_ids, pg_temp.run_ranked_ids');
    await this.runner.query(
      `CREATE TEMPORARY TABLE run_issued_ids (ord integer NOT NULL, file_index integer NOT NULL,
         line integer NOT NULL, membership_id text NOT NULL, id_key text COLLATE "C" NOT NULL,
         person_key bigint NOT NULL, fingerprint bigint NOT NULL)`,
    );
    this.issuedIds = new IssuedIdTable(this.runner);
    this.ranking = undefined;
    return this.issuedIds;
  }

  /**
   * Starts ranking the run's ids once its files are read, while its outputs are assembled and
   * fsynced: each id's holders in run order (lowest `ord` first), with the first holder's person
   * and row beside every later one. Nothing here depends on other runs, so it needs no lock;
   * commit() waits for it.
   */
  startRanking(): void {
    if (!this.issuedIds || this.ranking) return;
    const ids = this.issuedIds;
    this.ranking = (async () => {
      await ids.finish();
      // The window's sort stays in memory for a million-row run.
      await this.runner.query(`SET work_mem = '64MB'`);
      try {
        await this.runner.query('DROP TABLE IF EXISTS pg_temp.run_ranked_ids');
        await this.runner.query(
          `CREATE TEMPORARY TABLE run_ranked_ids AS
           SELECT id_key, membership_id, ord, file_index, line, person_key,
                  row_number() OVER w AS n,
                  first_value(person_key) OVER w AS first_key,
                  first_value(file_index) OVER w AS first_file,
                  first_value(line) OVER w AS first_line
           FROM pg_temp.run_issued_ids
           WINDOW w AS (PARTITION BY id_key ORDER BY ord)`,
        );
        await this.runner.query('ANALYZE pg_temp.run_ranked_ids');
      } finally {
        await this.runner.query('RESET work_mem');
      }
    })();
    // Awaited by commit(); a failure surfaces there, not as an unhandled rejection.
    this.ranking.catch(() => undefined);
  }

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
   * within the run and against those of earlier runs), and the run's `committed` status.
   * `fileNames` maps the file indexes the ids were recorded with.
   */
  async commit(
    runId: string,
    files: RunFile[],
    ledger: LedgerEntry[],
    fileNames: readonly string[],
    finalRun: (collisions: IdCollisions) => Partial<Run>,
  ): Promise<void> {
    this.startRanking();
    await this.ranking;
    await this.runner.startTransaction();
    try {
      const manager = this.runner.manager;
      if (ledger.length) await manager.insert(LedgerEntry, ledger);
      if (files.length) await manager.insert(RunFile, files);
      const collisions = this.issuedIds
        ? await this.recordIssuedIds(runId, fileNames)
        : { inRun: { total: 0, samples: [] }, crossRun: { total: 0, samples: [] } };
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
   * Inside the commit transaction, on the ids streamed during the run, in one statement: each
   * id's first holder in the run (lowest `ord`), the later rows holding it for another person
   * (collisions within the run), the first holders' comparison with the ids earlier runs issued,
   * and the insert of the new ones. The table lock serialises that step between committing runs,
   * so two runs issuing the same new id to different people cannot miss each other, and plain
   * inserts cannot conflict.
   */
  private async recordIssuedIds(
    runId: string,
    fileNames: readonly string[],
  ): Promise<IdCollisions> {
    await this.runner.query(
      'LOCK TABLE "pipeline"."issued_membership_ids" IN SHARE ROW EXCLUSIVE MODE',
    );
    const rows = (await this.runner.query(
      `WITH checked AS MATERIALIZED (
         SELECT f.*, i.person_key AS earlier_key, i.run_id AS earlier_run
         FROM pg_temp.run_ranked_ids f
         LEFT JOIN "pipeline"."issued_membership_ids" i ON i.membership_id = f.id_key
         WHERE f.n = 1),
       issued AS (
         INSERT INTO "pipeline"."issued_membership_ids" (membership_id, person_key, run_id)
         SELECT id_key, person_key, $1 FROM checked WHERE earlier_run IS NULL),
       cross_run AS (
         SELECT 'cross' AS kind, membership_id, earlier_run, file_index, line,
                NULL::integer AS first_file, NULL::integer AS first_line, ord,
                count(*) OVER () AS total
         FROM checked WHERE earlier_key <> person_key ORDER BY ord LIMIT ${SAMPLES}),
       in_run AS (
         SELECT 'in' AS kind, membership_id, NULL AS earlier_run, file_index, line,
                first_file, first_line, ord, count(*) OVER () AS total
         FROM pg_temp.run_ranked_ids WHERE n > 1 AND person_key <> first_key
         ORDER BY ord LIMIT ${SAMPLES})
       SELECT * FROM cross_run UNION ALL SELECT * FROM in_run`,
      [runId],
    )) as Array<{
      kind: 'cross' | 'in';
      membership_id: string;
      earlier_run: string | null;
      file_index: number;
      line: number;
      first_file: number | null;
      first_line: number | null;
      total: string;
    }>;
    // What this run emits is emitted once: later runs skip it (see EmittedApplications).
    await EmittedApplications.record(this.runner, runId, this.emittedLimit);
    await this.runner.query('DROP TABLE pg_temp.run_issued_ids, pg_temp.run_ranked_ids');
    this.issuedIds = undefined;
    this.ranking = undefined;
    const ref = (file: number, line: number): RowRef => ({ file: fileNames[file], line });
    const cross = rows.filter((row) => row.kind === 'cross');
    const inRun = rows.filter((row) => row.kind === 'in');
    return {
      inRun: {
        total: inRun.length ? Number(inRun[0].total) : 0,
        samples: inRun.map((row) => ({
          membershipId: row.membership_id,
          first: ref(row.first_file!, row.first_line!),
          second: ref(row.file_index, row.line),
        })),
      },
      crossRun: {
        total: cross.length ? Number(cross[0].total) : 0,
        samples: cross.map((row) => ({
          membershipId: row.membership_id,
          earlierRunId: row.earlier_run!,
          row: ref(row.file_index, row.line),
        })),
      },
    };
  }

  /** The applications earlier runs emitted, to be skipped by this one. */
  async loadEmitted(): Promise<EmittedApplications> {
    return EmittedApplications.load(this.runner);
  }

  async close(): Promise<void> {
    try {
      // The connection goes back to the pool: nothing of this run may stay on it.
      await this.issuedIds?.finish().catch(() => undefined);
      await this.ranking?.catch(() => undefined);
      await this.runner.query(
        'DROP TABLE IF EXISTS pg_temp.run_issued_ids, pg_temp.run_ranked_ids',
      );
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
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: PipelineConfig,
  ) {}

  async openSession(): Promise<LedgerSession> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    return new LedgerSession(runner, this.config.PIPELINE_EMITTED_LIMIT);
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
