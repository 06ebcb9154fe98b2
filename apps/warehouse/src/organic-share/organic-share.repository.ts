import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OrganicShareWeekView } from './dto/organic-share-week.view';

export interface OrganicShareFilter {
  country?: string;
  /** Inclusive bounds on week_start, `YYYY-MM-DD`. */
  fromDay?: string;
  toDay?: string;
}

interface WeekRow {
  year: number;
  week: number;
  week_start: string;
  country: string;
  organic_users_p4w: string;
  total_users_p4w: string;
  share_organic_p4w: string | null;
  weeks_with_data_p4w: number;
  computed_at: Date;
}

/** Reads the published weekly table (what the last successful run committed). */
@Injectable()
export class OrganicShareRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(filter: OrganicShareFilter): Promise<OrganicShareWeekView[]> {
    const rows = await this.dataSource.query<WeekRow[]>(
      `SELECT year, week, to_char(week_start, 'YYYY-MM-DD') AS week_start, country,
         organic_users_p4w, total_users_p4w, share_organic_p4w, weeks_with_data_p4w, computed_at
       FROM warehouse.organic_share_weekly
       WHERE ($1::text IS NULL OR country = $1)
         AND ($2::date IS NULL OR week_start >= $2)
         AND ($3::date IS NULL OR week_start <= $3)
       ORDER BY country, week_start`,
      [filter.country ?? null, filter.fromDay ?? null, filter.toDay ?? null],
    );
    return rows.map((row) => ({
      year: row.year,
      week: row.week,
      weekStart: row.week_start,
      country: row.country,
      organicUsersP4w: Number(row.organic_users_p4w),
      totalUsersP4w: Number(row.total_users_p4w),
      shareOrganicP4w: row.share_organic_p4w === null ? null : Number(row.share_organic_p4w),
      weeksWithDataP4w: row.weeks_with_data_p4w,
      computedAt: row.computed_at.toISOString(),
    }));
  }
}
