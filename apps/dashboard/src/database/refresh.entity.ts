import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One attempt to load data: the snapshot at start-up or a live refresh; failures are kept too. */
@Entity({ schema: 'covid', name: 'refreshes' })
export class Refresh {
  @PrimaryGeneratedColumn()
  id!: number;

  /** `snapshot` or `live`. */
  @Column({ type: 'varchar', length: 16 })
  source!: string;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz' })
  finishedAt!: Date;

  @Column({ type: 'boolean' })
  ok!: boolean;

  /** Rows written (0 on failure). */
  @Column({ type: 'integer' })
  rows!: number;

  /** Latest date in the data this attempt delivered. */
  @Column({ name: 'data_as_of', type: 'date', nullable: true })
  dataAsOf!: string | null;

  /** sha256 of the snapshot file, so an unchanged snapshot is not loaded twice. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  checksum!: string | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;
}
