import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type ImportKind = 'impressions' | 'clicks' | 'conversions';
export type ImportStatus = 'accepted' | 'rejected' | 'duplicate';

/** One import attempt, whatever its outcome, so `GET /imports` tells the whole story. */
@Entity({ schema: 'banner', name: 'imports' })
// The same content is stored at most once, even when two imports race.
@Index('imports_sha256_accepted', ['sha256'], { unique: true, where: `status = 'accepted'` })
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

  /** Row-level problems of a rejected file: `{ line, field, problem }`. */
  @Column({ type: 'jsonb', nullable: true })
  errors!: unknown[] | null;
}
