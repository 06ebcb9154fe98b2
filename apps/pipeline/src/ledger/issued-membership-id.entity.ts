import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Every membership id ever issued, with who got it first: later runs compare their holders
 * against it to detect collisions across runs. Written in the transaction that commits a run.
 */
@Entity({ schema: 'pipeline', name: 'issued_membership_ids' })
export class IssuedMembershipId {
  /** ASCII letters lower-cased: ids differing only in case are one id, as within a run. */
  @PrimaryColumn({
    name: 'membership_id',
    type: 'text',
    collation: 'C',
    primaryKeyConstraintName: 'issued_membership_ids_pkey',
  })
  membershipId!: string;

  /**
   * 64-bit hash (`hashtextextended`) of the first holder's first name, last name, email and
   * birthday, ASCII case folded: two different people look alike with odds of 2^-64.
   */
  @Column({ name: 'person_key', type: 'bigint' })
  personKey!: string;

  @Column({ name: 'run_id', type: 'varchar', length: 40 })
  runId!: string;

  @Column({ name: 'issued_at', type: 'timestamptz', default: () => 'now()' })
  issuedAt!: Date;
}
