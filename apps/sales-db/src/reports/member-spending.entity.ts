import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Member } from '../members/member.entity';

/** Spending per member, maintained incrementally by the lines trigger (never written by the app). */
@Entity({ schema: 'sales', name: 'member_spending' })
// Created as (total_spent DESC, member_id ASC) by the migration; TypeORM only compares columns.
@Index('IDX_member_spending_rank', ['totalSpent', 'memberId'])
@Check('CHK_member_spending_positive', '"total_spent" >= 0 AND "transaction_count" >= 0')
export class MemberSpending {
  @PrimaryColumn({
    name: 'member_id',
    type: 'integer',
    primaryKeyConstraintName: 'PK_member_spending',
  })
  memberId!: number;

  @ManyToOne(() => Member)
  @JoinColumn({ name: 'member_id', foreignKeyConstraintName: 'FK_member_spending_member' })
  member?: Member;

  @Column({ name: 'total_spent', type: 'numeric', precision: 16, scale: 2 })
  totalSpent!: string;

  @Column({ name: 'transaction_count', type: 'integer' })
  transactionCount!: number;
}
