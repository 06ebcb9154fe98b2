import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Cumulative counts of one country on one day, from the snapshot or the live source. */
@Entity({ schema: 'covid', name: 'observations' })
export class Observation {
  /** JHU country name (see countries.ts). */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  country!: string;

  @PrimaryColumn({ type: 'date' })
  date!: string;

  @Column({ type: 'integer' })
  confirmed!: number;

  @Column({ type: 'integer' })
  deaths!: number;

  /** `snapshot` (the shipped JHU file) or `live` (COVID_API_URL); live rows win over the snapshot. */
  @Column({ type: 'varchar', length: 16 })
  source!: string;
}
