import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Run } from '../runs/run.entity';

/** Exactly-once ledger: a file content (SHA-256) is processed or rejected at most once, ever. */
@Entity({ schema: 'pipeline', name: 'ledger' })
export class LedgerEntry {
  @PrimaryColumn({ type: 'char', length: 64, primaryKeyConstraintName: 'ledger_pkey' })
  sha256!: string;

  @Column({ name: 'run_id', type: 'varchar', length: 40 })
  runId!: string;

  @ManyToOne(() => Run, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'run_id', foreignKeyConstraintName: 'ledger_run_id_fkey' })
  run?: Run;

  @Column({ name: 'file_name', type: 'text' })
  fileName!: string;

  @Column({ type: 'varchar', length: 16 })
  outcome!: 'processed' | 'rejected';

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt!: Date;
}
