import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Run } from './run.entity';

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
    primaryKeyConstraintName: 'issued_membership_ids_pkey',
  })
  membershipId!: string;

  /** SHA-256 of the holder's first name, last name, email and birthday (ASCII case folded). */
  @Column({ name: 'person_key', type: 'bytea' })
  personKey!: Buffer;

  @Column({ name: 'run_id', type: 'varchar', length: 40 })
  runId!: string;

  @ManyToOne(() => Run, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'run_id', foreignKeyConstraintName: 'issued_membership_ids_run_id_fkey' })
  run?: Run;

  @Column({ name: 'issued_at', type: 'timestamptz', default: () => 'now()' })
  issuedAt!: Date;
}
