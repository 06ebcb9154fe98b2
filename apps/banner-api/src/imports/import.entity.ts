import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type ImportKind = 'impressions' | 'clicks' | 'conversions';
/** `deleted`: accepted, then removed with its quarter's datasets. */
export type ImportStatus = 'accepted' | 'rejected' | 'duplicate' | 'deleted';

/** Anomalies are answers, not silence: counted, with the first few lines as samples. */
export interface AnomalyReport {
  count: number;
  sampleLines: number[];
}

export interface ImportReport {
  /** Clicks of a campaign without impressions in the dataset. */
  clicksWithoutImpressions?: AnomalyReport;
  /** Conversions whose click is not in the dataset (stored, counting for nothing until it is). */
  conversionsWithoutClick?: AnomalyReport;
  /** The last line had no line ending and was accepted as a complete row. */
  lastLineWithoutLineEnding?: number;
}

/** One import attempt, whatever its outcome, so `GET /imports` tells the whole story. */
@Entity({ schema: 'banner', name: 'imports' })
@Index('imports_sha256', ['sha256'])
export class ImportEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'file_name', type: 'text' })
  fileName!: string;

  @Column({ type: 'text', nullable: true })
  kind!: ImportKind | null;

  @Column({ type: 'smallint', nullable: true })
  quarter!: number | null;

  @Column({ type: 'char', length: 64, nullable: true })
  sha256!: string | null;

  @Column({ type: 'text' })
  status!: ImportStatus;

  @Column({ name: 'rows_total', type: 'int', default: 0 })
  rowsTotal!: number;

  @Column({ name: 'rows_inserted', type: 'int', default: 0 })
  rowsInserted!: number;

  @Column({ name: 'rows_skipped', type: 'int', default: 0 })
  rowsSkipped!: number;

  /** Conversions stored whose click is not known yet (they count once it arrives). */
  @Column({ name: 'unmatched_conversions', type: 'int', default: 0 })
  unmatchedConversions!: number;

  @Column({ name: 'duplicate_of', type: 'int', nullable: true })
  duplicateOf!: number | null;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  /** Who sent it: the token's name for an upload, `cli:<user>` for the CLI. */
  @Column({ name: 'imported_by', type: 'text', nullable: true })
  importedBy!: string | null;

  /** The files sent together (one upload, all or nothing). */
  @Column({ name: 'upload_id', type: 'uuid', nullable: true })
  uploadId!: string | null;

  /** What the import noticed without refusing: anomalies with counts and sample lines, a last line without line ending. */
  @Column({ type: 'jsonb', nullable: true })
  report!: ImportReport | null;

  /** A bounded sample of the row-level problems of a rejected file: `{ line, field, problem }`. */
  @Column({ type: 'jsonb', nullable: true })
  errors!: unknown[] | null;
}
