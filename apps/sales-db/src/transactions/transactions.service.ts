import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { FieldError } from '@des/shared';
import { SalesUser } from '../auth/teams';
import { RequestDatabase } from '../database/request-database';
import {
  CreateTransactionDto,
  ListTransactionsQuery,
  TransactionView,
} from './dto/transaction.dto';
import { TransactionsRepository } from './transactions.repository';

@Injectable()
export class TransactionsService {
  constructor(
    private readonly database: RequestDatabase,
    private readonly transactions: TransactionsRepository,
  ) {}

  list(user: SalesUser, query: ListTransactionsQuery): Promise<TransactionView[]> {
    return this.database.asUser(user, 'read transactions', (sql) =>
      this.transactions.list(sql, query.status, query.limit, query.offset),
    );
  }

  async get(user: SalesUser, id: string): Promise<TransactionView> {
    const found = await this.database.asUser(user, 'read transactions', (sql) =>
      this.transactions.find(sql, id),
    );
    if (!found) throw new NotFoundException(`Transaction ${id} not found`);
    return found;
  }

  /** Records a purchase: one transaction, its lines priced from the items, all or nothing. */
  create(user: SalesUser, input: CreateTransactionDto): Promise<TransactionView> {
    return this.database.asUser(user, 'record transactions', async (sql) => {
      const errors: FieldError[] = [];
      if (!(await this.transactions.memberExists(sql, input.memberId))) {
        errors.push({ field: 'memberId', problems: [`member ${input.memberId} does not exist`] });
      }
      const live = await this.transactions.liveItemIds(
        sql,
        input.items.map((line) => line.itemId),
      );
      input.items.forEach((line, index) => {
        if (!live.has(line.itemId)) {
          errors.push({
            field: `items.${index}.itemId`,
            problems: [`item ${line.itemId} does not exist or is retired`],
          });
        }
      });
      if (errors.length) {
        throw new BadRequestException({
          message: errors.map((e) => `${e.field}: ${e.problems.join(', ')}`).join('; '),
          errors,
        });
      }
      const id = await this.transactions.insert(sql, input.memberId, input.items);
      return (await this.transactions.find(sql, id))!;
    });
  }

  complete(user: SalesUser, id: string): Promise<TransactionView> {
    return this.database.asUser(user, 'complete transactions', async (sql) => {
      const completed = await this.transactions.complete(sql, id);
      const found = await this.transactions.find(sql, id);
      if (!found) throw new NotFoundException(`Transaction ${id} not found`);
      if (completed === undefined)
        throw new ConflictException(`Transaction ${id} is already completed`);
      return found;
    });
  }
}
