import { Injectable } from '@nestjs/common';
import { SalesUser } from '../auth/teams';
import { SalesDatabase } from '../database/sales-database';
import { TopItem, TopItemsQuery, TopMember, TopMembersQuery } from './dto/report.dto';
import { ReportsRepository } from './reports.repository';

@Injectable()
export class ReportsService {
  constructor(
    private readonly database: SalesDatabase,
    private readonly reports: ReportsRepository,
  ) {}

  topMembers(user: SalesUser, query: TopMembersQuery): Promise<TopMember[]> {
    return this.database.asUser(user, 'read the top-members report', (sql) =>
      this.reports.topMembers(sql, query.limit),
    );
  }

  topItems(user: SalesUser, query: TopItemsQuery): Promise<TopItem[]> {
    return this.database.asUser(user, 'read the top-items report', (sql) =>
      this.reports.topItems(sql, query.limit, query.by),
    );
  }
}
