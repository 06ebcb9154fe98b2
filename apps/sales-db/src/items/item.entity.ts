import { Check, Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** A catalogue item. Retired items stay for history (past transaction lines reference them). */
@Entity({ schema: 'sales', name: 'items' })
@Unique('UQ_items_name_manufacturer', ['name', 'manufacturer'])
@Check('CHK_items_cost', '"cost" >= 0')
@Check('CHK_items_weight', '"weight_kg" > 0')
@Check('CHK_items_name', `btrim("name") <> '' AND btrim("manufacturer") <> ''`)
export class Item {
  @PrimaryGeneratedColumn('identity', {
    generatedIdentity: 'BY DEFAULT',
    primaryKeyConstraintName: 'PK_items',
  })
  id!: number;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 200 })
  manufacturer!: string;

  @Column({ type: 'numeric', precision: 12, scale: 2 })
  cost!: string;

  @Column({ name: 'weight_kg', type: 'numeric', precision: 10, scale: 3 })
  weightKg!: string;

  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
