import { Column } from 'typeorm';

/** The row counts kept for a whole run (`runs`) and for each of its files (`run_files`). */
export abstract class RowCountColumns {
  @Column({ name: 'rows_read', type: 'integer', default: 0 })
  rowsRead!: number;

  @Column({ type: 'integer', default: 0 })
  successful!: number;

  @Column({ type: 'integer', default: 0 })
  failed!: number;

  @Column({ type: 'integer', default: 0 })
  duplicates!: number;

  @Column({ name: 'ambiguous_dates', type: 'integer', default: 0 })
  ambiguousDates!: number;

  /** Successful applications an earlier run already emitted: counted, not written again. */
  @Column({ name: 'already_emitted', type: 'integer', default: 0 })
  alreadyEmitted!: number;

  /** Failed rows per rule that failed (a row failing two rules counts for both). */
  @Column({ name: 'failure_reasons', type: 'jsonb', nullable: true })
  failureReasons!: Record<string, number> | null;
}
