import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';

/**
 * - `draft`: not every kind of file yet; never served.
 * - `published`: the one dataset its quarter serves.
 * - `retired`: was published, replaced by a newer one; `rollback` can publish it again.
 * - `superseded`: a draft that a later upload completed or replaced.
 * - `rolled-back`: was published, undone by a rollback.
 */
export type DatasetStatus = 'draft' | 'published' | 'retired' | 'superseded' | 'rolled-back';

/** One version of a quarter's data: the set of files listed in `dataset_files`. */
@Entity({ schema: 'banner', name: 'datasets' })
@Index('datasets_quarter_status', ['quarter', 'status'])
@Index('datasets_one_published', ['quarter'], { unique: true, where: `status = 'published'` })
export class DatasetEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'smallint' })
  quarter!: number;

  @Column({ type: 'text' })
  status!: DatasetStatus;

  /** The dataset this one was built from (its files minus those replaced, plus the new ones). */
  @Column({ name: 'base_id', type: 'int', nullable: true })
  baseId!: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  @Column({ name: 'imported_by', type: 'text', nullable: true })
  importedBy!: string | null;
}

/** Which files (imports) make up a dataset; a file is shared by the versions built on it. */
@Entity({ schema: 'banner', name: 'dataset_files' })
@Index('dataset_files_import', ['importId'])
export class DatasetFileEntity {
  @PrimaryColumn({ name: 'dataset_id', type: 'int' })
  datasetId!: number;

  @PrimaryColumn({ name: 'import_id', type: 'int' })
  importId!: number;

  @Column({ type: 'text' })
  kind!: string;
}
