import { Injectable } from '@nestjs/common';
import { SalesUser } from '../auth/teams';
import { RequestDatabase } from '../database/request-database';
import { TopItem, TopItemsQuery, TopMember, TopMembersQuery } from './dto/report.dto';
import { reportQueries } from './report-queries';
import { ItemRow, MemberRow, toTopItem, toTopMember, withLimit } from './reports.repository';

/** The analysts' reports: each one round trip to PostgreSQL (see RequestDatabase.readAsUser). */
@Injectable()
export class ReportsService {
  constructor(private readonly database: RequestDatabase) {}

  async topMembers(user: SalesUser, query: TopMembersQuery): Promise<TopMember[]> {
    const rows = await this.database.readAsUser<MemberRow>(
      user,
      'read the top-members report',
      withLimit(reportQueries.topMembers, query.limit),
    );
    return rows.map(toTopMember);
  }

  async topItems(user: SalesUser, query: TopItemsQuery): Promise<TopItem[]> {
    const rows = await this.database.readAsUser<ItemRow>(
      user,
      'read the top-items report',
      withLimit(reportQueries.topItems[query.by], query.limit),
    );
    return rows.map(toTopItem);
  }
}
