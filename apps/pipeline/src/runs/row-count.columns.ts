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
}
