import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { AmbiguousSeparator, OrderDecision } from '../applications/birthday';
import { RowCountColumns } from './row-count.columns';
import type { Run } from './run.entity';

export type FileOutcomeName =
  | 'processed'
  | 'rejected'
  | 'skipped_already_seen'
  | 'skipped_same_content'
  | 'skipped_busy'
  | 'skipped_changing';

/** What one run did with one file of the incoming folder, with its row counts. */
@Entity({ schema: 'pipeline', name: 'run_files' })
@Index('run_files_run_id_idx', ['runId'])
export class RunFile extends RowCountColumns {
  @PrimaryGeneratedColumn({ type: 'integer', primaryKeyConstraintName: 'run_files_pkey' })
  id!: number;

  @Column({ name: 'run_id', type: 'varchar', length: 40 })
  runId!: string;

  @ManyToOne('Run', (run: Run) => run.files, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'run_id', foreignKeyConstraintName: 'run_files_run_id_fkey' })
  run?: Run;

  @Column({ name: 'file_name', type: 'text' })
  fileName!: string;

  @Column({ type: 'char', length: 64 })
  sha256!: string;

  @Column({ name: 'size_bytes', type: 'bigint' })
  sizeBytes!: string;

  @Column({ type: 'varchar', length: 24 })
  outcome!: FileOutcomeName;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  /** Per separator: the field order used for ambiguous dates and the evidence behind it. */
  @Column({ name: 'date_orders', type: 'jsonb', nullable: true })
  dateOrders!: Record<AmbiguousSeparator, OrderDecision> | null;

  /** Where the input goes once the run is committed (processed/ or rejected/). */
  @Column({ name: 'moved_to', type: 'text', nullable: true })
  movedTo!: string | null;
}
