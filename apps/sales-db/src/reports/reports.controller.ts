import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBasicAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BasicAuthGuard, CurrentUser } from '../auth/basic-auth.guard';
import { SalesUser } from '../auth/teams';
import { ApiErrors } from '../http/api-docs';
import { TopItem, TopItemsQuery, TopMember, TopMembersQuery } from './dto/report.dto';
import { ReportsService } from './reports.service';

@ApiTags('reports')
@ApiBasicAuth()
@UseGuards(BasicAuthGuard)
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @ApiOperation({
    summary: 'Top members by total spending, pending and completed sales alike (analytics team)',
  })
  @ApiOkResponse({ type: [TopMember] })
  @ApiErrors()
  @Get('top-members')
  topMembers(@CurrentUser() user: SalesUser, @Query() query: TopMembersQuery) {
    return this.reports.topMembers(user, query);
  }

  @ApiOperation({
    summary: 'Top items by units sold or by number of transactions (analytics team)',
  })
  @ApiOkResponse({ type: [TopItem] })
  @ApiErrors()
  @Get('top-items')
  topItems(@CurrentUser() user: SalesUser, @Query() query: TopItemsQuery) {
    return this.reports.topItems(user, query);
  }
}
