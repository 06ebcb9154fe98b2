import { ApiUser } from '../auth/api-user.entity';
import { ServiceLogin } from '../auth/service-login.entity';
import { Item } from '../items/item.entity';
import { Member } from '../members/member.entity';
import { ItemPopularity } from '../reports/item-popularity.entity';
import { MemberSpending } from '../reports/member-spending.entity';
import { TransactionLine } from '../transactions/transaction-line.entity';
import { Transaction } from '../transactions/transaction.entity';

/** Every TypeORM entity of the `sales` schema. */
export const entities = [
  Item,
  Member,
  Transaction,
  TransactionLine,
  MemberSpending,
  ItemPopularity,
  ApiUser,
  ServiceLogin,
];
