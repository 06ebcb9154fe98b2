import { Column, Entity, PrimaryColumn, Unique } from 'typeorm';

/** One Country/Region entry of the snapshot with its identity and population (JHU lookup table). */
@Entity({ schema: 'covid', name: 'countries' })
@Unique('UQ_covid_countries_id', ['id'])
@Unique('UQ_covid_countries_slug', ['slug'])
export class CountryRecord {
  /** JHU Country/Region name, as in `covid.observations.country`. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name!: string;

  /** Stable URL identifier: the ISO alpha-2 code, else the slug. */
  @Column({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 2, nullable: true })
  code!: string | null;

  @Column({ type: 'varchar', length: 64 })
  slug!: string;

  /** `country`, or `other` for cruise ships, Olympic games and Antarctica. */
  @Column({ type: 'varchar', length: 16 })
  kind!: string;

  /** From the lookup table; null when it has none. */
  @Column({ type: 'integer', nullable: true })
  population!: number | null;

  @Column({ type: 'varchar', length: 16 })
  lat!: string;

  @Column({ type: 'varchar', length: 16 })
  lon!: string;
}
