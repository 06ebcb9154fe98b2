import { Injectable } from '@nestjs/common';
import { Sql } from '../database/sql';
import { Ranking, TopItem, TopMember } from './dto/report.dto';
import { reportQueries } from './report-queries';

export interface MemberRow {
  member_id: number;
  membership_id: string;
  first_name: string;
  last_name: string;
  total_spent: string;
  transaction_count: string | number;
}

export interface ItemRow {
  item_id: number;
  name: string;
  manufacturer: string;
  units_sold: string;
  transaction_count: string;
}

@Injectable()
export class ReportsRepository {
  async topMembers(sql: Sql, limit: number, fromLines = false): Promise<TopMember[]> {
    const rows = await sql<MemberRow>(
      fromLines ? reportQueries.topMembersFromLines : reportQueries.topMembers,
      [limit],
    );
    return rows.map(toTopMember);
  }

  async topItems(sql: Sql, limit: number, by: Ranking, fromLines = false): Promise<TopItem[]> {
    const rows = fromLines
      ? await sql<ItemRow>(reportQueries.topItemsFromLines, [limit, by])
      : await sql<ItemRow>(reportQueries.topItems[by], [limit]);
    return rows.map(toTopItem);
  }
}

export const toTopMember = (row: MemberRow): TopMember => ({
  memberId: row.member_id,
  membershipId: row.membership_id,
  firstName: row.first_name,
  lastName: row.last_name,
  totalSpent: Number(row.total_spent),
  transactionCount: Number(row.transaction_count),
});

export const toTopItem = (row: ItemRow): TopItem => ({
  itemId: row.item_id,
  name: row.name,
  manufacturer: row.manufacturer,
  unitsSold: Number(row.units_sold),
  transactionCount: Number(row.transaction_count),
});

/** The report texts with a limit written in, by query and limit (the DTOs allow 1-100). */
const limitedTexts = new Map<string, Map<number, string>>();

/**
 * A report query with its `$1` (the limit) written in, for the API's one-round-trip read. Only a
 * validated integer is ever written into SQL text here.
 */
export function withLimit(query: string, limit: number): string {
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new Error(`limit must be a positive integer`);
  let byLimit = limitedTexts.get(query);
  if (!byLimit) limitedTexts.set(query, (byLimit = new Map()));
  let text = byLimit.get(limit);
  if (text === undefined) byLimit.set(limit, (text = query.replace(/\$1\b/g, String(limit))));
  return text;
}
