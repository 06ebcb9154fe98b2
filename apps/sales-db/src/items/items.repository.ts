import { Injectable } from '@nestjs/common';
import { Sql } from '../database/sql';
import { CreateItemDto, ItemView, UpdateItemDto } from './dto/item.dto';

const COLUMNS = `id, name, manufacturer, cost::float8 AS cost, weight_kg::float8 AS "weightKg",
  retired_at AS "retiredAt"`;

@Injectable()
export class ItemsRepository {
  async list(
    sql: Sql,
    includeRetired: boolean,
    limit: number,
    offset: number,
  ): Promise<ItemView[]> {
    return sql<ItemView>(
      `SELECT ${COLUMNS} FROM sales.items WHERE $1 OR retired_at IS NULL ORDER BY id LIMIT $2 OFFSET $3`,
      [includeRetired, limit, offset],
    );
  }

  async insert(sql: Sql, item: CreateItemDto): Promise<ItemView> {
    const [row] = await sql<ItemView>(
      `INSERT INTO sales.items (name, manufacturer, cost, weight_kg) VALUES ($1, $2, $3, $4)
       RETURNING ${COLUMNS}`,
      [item.name, item.manufacturer, item.cost, item.weightKg],
    );
    return row;
  }

  /** Only the given fields change; a past transaction keeps the prices its lines captured. */
  async update(sql: Sql, id: number, changes: UpdateItemDto): Promise<ItemView | undefined> {
    const [row] = await sql<ItemView>(
      `UPDATE sales.items SET name = coalesce($2, name), manufacturer = coalesce($3, manufacturer),
         cost = coalesce($4, cost), weight_kg = coalesce($5, weight_kg)
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, changes.name, changes.manufacturer, changes.cost, changes.weightKg],
    );
    return row;
  }

  async retire(sql: Sql, id: number): Promise<ItemView | undefined> {
    const [row] = await sql<ItemView>(
      `UPDATE sales.items SET retired_at = coalesce(retired_at, now()) WHERE id = $1 RETURNING ${COLUMNS}`,
      [id],
    );
    return row;
  }

  /** Fails with a foreign-key violation once the item appears on any transaction line. */
  async delete(sql: Sql, id: number): Promise<ItemView | undefined> {
    const [row] = await sql<ItemView>(
      `DELETE FROM sales.items WHERE id = $1 RETURNING ${COLUMNS}`,
      [id],
    );
    return row;
  }
}
