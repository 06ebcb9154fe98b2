import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Item } from '../items/item.entity';

/** Units sold and transactions per item, maintained incrementally by the lines trigger. */
@Entity({ schema: 'sales', name: 'item_popularity' })
// Both created DESC on the counter, ASC on item_id by the migration.
@Index('IDX_item_popularity_quantity', ['quantity', 'itemId'])
@Index('IDX_item_popularity_transactions', ['transactionCount', 'itemId'])
@Check('CHK_item_popularity_positive', '"quantity" >= 0 AND "transaction_count" >= 0')
export class ItemPopularity {
  @PrimaryColumn({
    name: 'item_id',
    type: 'integer',
    primaryKeyConstraintName: 'PK_item_popularity',
  })
  itemId!: number;

  @ManyToOne(() => Item)
  @JoinColumn({ name: 'item_id', foreignKeyConstraintName: 'FK_item_popularity_item' })
  item?: Item;

  @Column({ type: 'bigint' })
  quantity!: string;

  @Column({ name: 'transaction_count', type: 'bigint' })
  transactionCount!: string;
}
