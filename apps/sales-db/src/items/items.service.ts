import { Injectable, NotFoundException } from '@nestjs/common';
import { SalesUser } from '../auth/teams';
import { RequestDatabase } from '../database/request-database';
import {
  CreateItemDto,
  DeleteItemQuery,
  ItemView,
  ListItemsQuery,
  UpdateItemDto,
} from './dto/item.dto';
import { ItemsRepository } from './items.repository';

/** The item catalogue. Who may do what is decided by PostgreSQL's grants, not here. */
@Injectable()
export class ItemsService {
  constructor(
    private readonly database: RequestDatabase,
    private readonly items: ItemsRepository,
  ) {}

  list(user: SalesUser, query: ListItemsQuery): Promise<ItemView[]> {
    return this.database.asUser(user, 'read items', (sql) =>
      this.items.list(sql, query.includeRetired, query.limit, query.offset),
    );
  }

  create(user: SalesUser, item: CreateItemDto): Promise<ItemView> {
    return this.database.asUser(user, 'create items', (sql) => this.items.insert(sql, item));
  }

  async update(user: SalesUser, id: number, changes: UpdateItemDto): Promise<ItemView> {
    const item = await this.database.asUser(user, 'update items', (sql) =>
      this.items.update(sql, id, changes),
    );
    return item ?? notFound(id);
  }

  async remove(user: SalesUser, id: number, query: DeleteItemQuery): Promise<ItemView> {
    const item = query.hard
      ? await this.database.asUser(user, 'delete items', (sql) => this.items.delete(sql, id))
      : await this.database.asUser(user, 'retire items', (sql) => this.items.retire(sql, id));
    return item ?? notFound(id);
  }
}

function notFound(id: number): never {
  throw new NotFoundException(`Item ${id} not found`);
}
