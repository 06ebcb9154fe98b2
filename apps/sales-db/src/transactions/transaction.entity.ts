import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Member } from '../members/member.entity';

/**
 * A purchase. The totals are maintained by database triggers from the lines and cannot be
 * written directly (see the TotalsAndAggregates migration).
 */
@Entity({ schema: 'sales', name: 'transactions' })
@Index('IDX_transactions_pending', ['purchasedAt'], { where: `"status" = 'pending'` })
@Index('UQ_transactions_external_ref', ['externalRef'], {
  unique: true,
  where: '"external_ref" IS NOT NULL',
})
@Check('CHK_transactions_status', `"status" IN ('pending', 'completed')`)
@Check(
  'CHK_transactions_completion',
  `("status" = 'completed') = ("completed_at" IS NOT NULL) AND ("completed_at" IS NULL OR "completed_at" >= "purchased_at")`,
)
@Check(
  'CHK_transactions_totals',
  '"total_price" >= 0 AND "total_weight_kg" >= 0 AND "line_count" >= 0 AND "item_count" >= 0',
)
export class Transaction {
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    generatedIdentity: 'BY DEFAULT',
    primaryKeyConstraintName: 'PK_transactions',
  })
  id!: string;

  @Column({ name: 'member_id', type: 'integer' })
  memberId!: number;

  @ManyToOne(() => Member)
  @JoinColumn({ name: 'member_id', foreignKeyConstraintName: 'FK_transactions_member' })
  member?: Member;

  @Column({ name: 'purchased_at', type: 'timestamptz', default: () => 'now()' })
  purchasedAt!: Date;

  @Column({ type: 'varchar', length: 10, default: 'pending' })
  status!: 'pending' | 'completed';

  /** The source system's reference of an imported transaction (import-transactions); unique. */
  @Column({ name: 'external_ref', type: 'varchar', length: 100, nullable: true })
  externalRef!: string | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  @Column({ name: 'total_price', type: 'numeric', precision: 14, scale: 2, default: 0 })
  totalPrice!: string;

  @Column({ name: 'total_weight_kg', type: 'numeric', precision: 14, scale: 3, default: 0 })
  totalWeightKg!: string;

  /** Number of lines (distinct items). */
  @Column({ name: 'line_count', type: 'integer', default: 0 })
  lineCount!: number;

  /** Sum of the lines' quantities. */
  @Column({ name: 'item_count', type: 'integer', default: 0 })
  itemCount!: number;
}
