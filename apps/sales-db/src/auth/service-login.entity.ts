import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The generated password of the API's own LOGIN role (`sales_<database>_api`), so every app
 * instance on this database can connect as it. No role is granted anything on this table: only
 * the owner (the migrating login, which could reset the password anyway) reads it.
 */
@Entity({ schema: 'sales', name: 'service_logins' })
export class ServiceLogin {
  @PrimaryColumn({
    name: 'role_name',
    type: 'varchar',
    length: 63,
    primaryKeyConstraintName: 'PK_service_logins',
  })
  roleName!: string;

  @Column({ type: 'varchar', length: 100 })
  password!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
