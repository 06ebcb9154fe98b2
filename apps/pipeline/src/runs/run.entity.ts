import { Column, Entity, Index, OneToMany, PrimaryColumn } from 'typeorm';
import type { NotTaken } from '../intake/incoming-folder';
import { RunFile } from './run-file.entity';
import { RowCountColumns } from './row-count.columns';
import type {
  CollisionSample,
  DuplicateSample,
  RowRef,
} from '../duplicates/run-duplicate-detector';

/** A row of this run given an id an earlier run issued to a different person. */
export interface CrossRunCollisionSample {
  membershipId: string;
  earlierRunId: string;
  row: RowRef;
}

export interface RunSummary {
  membershipCollisionSamples: CollisionSample[];
  /** Absent in runs committed before cross-run collisions were checked. */
  crossRunCollisionSamples?: CrossRunCollisionSample[];
  duplicateSamples: DuplicateSample[];
  /** Entries of the incoming folder the run did not take, and why (absent in older runs). */
  notTaken?: NotTaken[];
}

export type RunStatus = 'running' | 'committed' | 'completed' | 'failed' | 'abandoned';
export type RunTrigger = 'cron' | 'cli' | 'http' | 'demo';

/** One pipeline run; `committed` means its outputs and ledger entries are final (see README). */
@Entity({ schema: 'pipeline', name: 'runs' })
@Index('runs_started_at_idx', ['startedAt'])
export class Run extends RowCountColumns {
  @PrimaryColumn({ type: 'varchar', length: 40, primaryKeyConstraintName: 'runs_pkey' })
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  trigger!: RunTrigger;

  @Column({ type: 'varchar', length: 16 })
  status!: RunStatus;

  @Column({ name: 'started_at', type: 'timestamptz', default: () => 'now()' })
  startedAt!: Date;

  @Column({ name: 'committed_at', type: 'timestamptz', nullable: true })
  committedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ name: 'successful_output', type: 'text', nullable: true })
  successfulOutput!: string | null;

  @Column({ name: 'failed_output', type: 'text', nullable: true })
  failedOutput!: string | null;

  @Column({ name: 'membership_collisions', type: 'integer', default: 0 })
  membershipCollisions!: number;

  @Column({ name: 'cross_run_collisions', type: 'integer', default: 0 })
  crossRunCollisions!: number;

  /** Samples of duplicates and collisions, date-order decisions: what a reader of the summary needs. */
  @Column({ type: 'jsonb', nullable: true })
  summary!: RunSummary | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @OneToMany(() => RunFile, (file) => file.run)
  files?: RunFile[];
}
