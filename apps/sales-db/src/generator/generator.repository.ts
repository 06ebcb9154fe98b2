import { Injectable } from '@nestjs/common';
import { Sql } from '../database/sql';
import { CatalogueItem } from './catalogue';

export interface CatalogueId {
  id: number;
}

@Injectable()
export class GeneratorRepository {
  async insertCatalogue(sql: Sql, items: CatalogueItem[]): Promise<number> {
    const rows = await sql(
      `INSERT INTO sales.items (name, manufacturer, cost, weight_kg)
       SELECT * FROM unnest($1::text[], $2::text[], $3::numeric[], $4::numeric[])
       ON CONFLICT (name, manufacturer) DO NOTHING RETURNING id`,
      [
        items.map((item) => item.name),
        items.map((item) => item.manufacturer),
        items.map((item) => item.cost),
        items.map((item) => item.weightKg),
      ],
    );
    return rows.length;
  }

  /** Items that can be sold (not retired), in id order. */
  liveItems(sql: Sql): Promise<CatalogueId[]> {
    return sql<CatalogueId>(`SELECT id FROM sales.items WHERE retired_at IS NULL ORDER BY id`);
  }

  /** Membership ids that name exactly one person (an import file names members by them). */
  async uniqueMembershipIds(sql: Sql): Promise<string[]> {
    const rows = await sql<{ membership_id: string }>(
      `SELECT membership_id FROM sales.members GROUP BY membership_id HAVING count(*) = 1
        ORDER BY min(id)`,
    );
    return rows.map((row) => row.membership_id);
  }

  /** Synthetic members for the benchmark (the demo and `generate` use imported members). */
  async insertSyntheticMembers(sql: Sql, count: number): Promise<void> {
    await sql(
      `INSERT INTO sales.members (membership_id, first_name, last_name, email, date_of_birth,
                                  mobile_no, above_18, source_file, source_line)
       SELECT 'Bench' || g || '_' || substr(md5(g::text), 1, 5), 'Member', 'Bench' || g,
              'member' || g || '@example.com', date '1980-01-01' + (g % 7000),
              lpad((10000000 + g)::text, 8, '0'), true, 'benchmark', g
         FROM generate_series(1, $1) g
       ON CONFLICT (membership_id, email) DO NOTHING`,
      [count],
    );
  }
}
