import { Injectable } from '@nestjs/common';
import { Sql } from '../database/sql';
import { TransactionView } from './dto/transaction.dto';

const VIEW = `
  SELECT t.id::float8 AS id, t.member_id AS "memberId",
         t.purchased_at AS "purchasedAt", t.status, t.completed_at AS "completedAt",
         t.total_price::float8 AS "totalPrice", t.total_weight_kg::float8 AS "totalWeightKg",
         t.item_count AS "itemCount",
         coalesce((SELECT json_agg(json_build_object(
                    'itemId', l.item_id, 'name', i.name, 'manufacturer', i.manufacturer,
                    'quantity', l.quantity, 'unitPrice', l.unit_price, 'unitWeightKg', l.unit_weight_kg)
                    ORDER BY l.item_id)
                     FROM sales.transaction_lines l JOIN sales.items i ON i.id = l.item_id
                    WHERE l.transaction_id = t.id), '[]') AS lines
    FROM sales.transactions t`;

@Injectable()
export class TransactionsRepository {
  async list(
    sql: Sql,
    status: string | undefined,
    limit: number,
    offset: number,
  ): Promise<TransactionView[]> {
    return sql<TransactionView>(
      `${VIEW} WHERE ($1::text IS NULL OR t.status = $1)
       ORDER BY t.purchased_at, t.id LIMIT $2 OFFSET $3`,
      [status ?? null, limit, offset],
    );
  }

  async find(sql: Sql, id: number | string): Promise<TransactionView | undefined> {
    const [row] = await sql<TransactionView>(`${VIEW} WHERE t.id = $1`, [id]);
    return row;
  }

  async memberExists(sql: Sql, memberId: number): Promise<boolean> {
    return (await sql('SELECT 1 FROM sales.members WHERE id = $1', [memberId])).length > 0;
  }

  /** Ids among `itemIds` that are live (not retired) catalogue items. */
  async liveItemIds(sql: Sql, itemIds: number[]): Promise<Set<number>> {
    const rows = await sql<{ id: number }>(
      'SELECT id FROM sales.items WHERE id = ANY($1::int[]) AND retired_at IS NULL',
      [itemIds],
    );
    return new Set(rows.map((row) => row.id));
  }

  /** Inserts the transaction and its lines; price and weight are read from the items here. */
  async insert(
    sql: Sql,
    memberId: number,
    lines: { itemId: number; quantity: number }[],
  ): Promise<number> {
    const [{ id }] = await sql<{ id: number }>(
      'INSERT INTO sales.transactions (member_id) VALUES ($1) RETURNING id::float8 AS id',
      [memberId],
    );
    await sql(
      `INSERT INTO sales.transaction_lines (transaction_id, item_id, quantity, unit_price, unit_weight_kg)
       SELECT $1, i.id, r.quantity, i.cost, i.weight_kg
         FROM unnest($2::int[], $3::int[]) AS r(item_id, quantity) JOIN sales.items i ON i.id = r.item_id`,
      [id, lines.map((line) => line.itemId), lines.map((line) => line.quantity)],
    );
    return id;
  }

  /** Marks a pending transaction completed; undefined when it is not pending (or not there). */
  async complete(sql: Sql, id: string): Promise<number | undefined> {
    const [row] = await sql<{ id: number }>(
      `UPDATE sales.transactions SET status = 'completed', completed_at = greatest(now(), purchased_at)
        WHERE id = $1 AND status = 'pending' RETURNING id::float8 AS id`,
      [id],
    );
    return row?.id;
  }
}
