import { Check, Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * A member from the pipeline's successful output. `id` is a surrogate key because the pipeline's
 * membership id can be shared by two different people; a person is (membership id, email).
 */
@Entity({ schema: 'sales', name: 'members' })
@Unique('UQ_members_membership_email', ['membershipId', 'email'])
@Check('CHK_members_mobile', `"mobile_no" ~ '^[0-9]{8}$'`)
@Check('CHK_members_adult', '"above_18"')
// The pipeline gives a one-word name as a last name with an empty first name.
@Check('CHK_members_names', `btrim("last_name") <> ''`)
export class Member {
  @PrimaryGeneratedColumn('identity', {
    generatedIdentity: 'BY DEFAULT',
    primaryKeyConstraintName: 'PK_members',
  })
  id!: number;

  @Column({ name: 'membership_id', type: 'varchar', length: 120 })
  membershipId!: string;

  @Column({ name: 'first_name', type: 'varchar', length: 100 })
  firstName!: string;

  @Column({ name: 'last_name', type: 'varchar', length: 100 })
  lastName!: string;

  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ name: 'date_of_birth', type: 'date' })
  dateOfBirth!: string;

  @Column({ name: 'mobile_no', type: 'varchar', length: 8 })
  mobileNo!: string;

  @Column({ name: 'above_18', type: 'boolean' })
  above18!: boolean;

  @Column({ name: 'source_file', type: 'varchar', length: 500 })
  sourceFile!: string;

  @Column({ name: 'source_line', type: 'integer' })
  sourceLine!: number;

  @Column({ name: 'imported_at', type: 'timestamptz', default: () => 'now()' })
  importedAt!: Date;
}
