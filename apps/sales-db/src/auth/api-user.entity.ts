import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * API credentials: one row per LOGIN role made by `add-user`. Only the app's own role may read it;
 * the API checks HTTP Basic passwords against the scrypt hash, so it works under trust auth too.
 */
@Entity({ schema: 'sales', name: 'api_users' })
@Check('CHK_api_users_team', `"team" IN ('logistics', 'analytics', 'sales', 'checkout')`)
export class ApiUser {
  @PrimaryColumn({ type: 'varchar', length: 63, primaryKeyConstraintName: 'PK_api_users' })
  name!: string;

  @Column({ type: 'varchar', length: 20 })
  team!: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 200 })
  passwordHash!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
