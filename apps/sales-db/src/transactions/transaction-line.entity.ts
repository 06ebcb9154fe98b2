import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Item } from '../items/item.entity';
import { Transaction } from './transaction.entity';

/** One item of a transaction, with the item's price and weight captured at purchase time. */
@Entity({ schema: 'sales', name: 'transaction_lines' })
@Index('IDX_transaction_lines_item', ['itemId'])
@Check('CHK_transaction_lines_quantity', '"quantity" > 0')
@Check('CHK_transaction_lines_unit_price', '"unit_price" >= 0')
@Check('CHK_transaction_lines_unit_weight', '"unit_weight_kg" > 0')
export class TransactionLine {
  @PrimaryColumn({
    name: 'transaction_id',
    type: 'bigint',
    primaryKeyConstraintName: 'PK_transaction_lines',
  })
  transactionId!: string;

  @PrimaryColumn({
    name: 'item_id',
    type: 'integer',
    primaryKeyConstraintName: 'PK_transaction_lines',
  })
  itemId!: number;

  @ManyToOne(() => Transaction)
  @JoinColumn({
    name: 'transaction_id',
    foreignKeyConstraintName: 'FK_transaction_lines_transaction',
  })
  transaction?: Transaction;

  @ManyToOne(() => Item)
  @JoinColumn({ name: 'item_id', foreignKeyConstraintName: 'FK_transaction_lines_item' })
  item?: Item;

  @Column({ type: 'integer' })
  quantity!: number;

  @Column({ name: 'unit_price', type: 'numeric', precision: 12, scale: 2 })
  unitPrice!: string;

  @Column({ name: 'unit_weight_kg', type: 'numeric', precision: 10, scale: 3 })
  unitWeightKg!: string;
}
