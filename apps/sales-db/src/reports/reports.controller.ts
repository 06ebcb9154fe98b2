import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBasicAuth, ApiTags } from '@nestjs/swagger';
import { BasicAuthGuard, CurrentUser } from '../auth/basic-auth.guard';
import { SalesUser } from '../auth/teams';
import { TopItemsQuery, TopMembersQuery } from './dto/report.dto';
import { ReportsService } from './reports.service';

@ApiTags('reports')
@ApiBasicAuth()
@UseGuards(BasicAuthGuard)
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('top-members')
  topMembers(@CurrentUser() user: SalesUser, @Query() query: TopMembersQuery) {
    return this.reports.topMembers(user, query);
  }

  @Get('top-items')
  topItems(@CurrentUser() user: SalesUser, @Query() query: TopItemsQuery) {
    return this.reports.topItems(user, query);
  }
}
