import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { ApiBasicAuth, ApiParam, ApiTags } from '@nestjs/swagger';
import { BasicAuthGuard, CurrentUser } from '../auth/basic-auth.guard';
import { SalesUser } from '../auth/teams';
import { MembersService } from './members.service';

@ApiTags('members')
@ApiBasicAuth()
@UseGuards(BasicAuthGuard)
@Controller('members')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Get(':id')
  @ApiParam({ name: 'id', description: 'Member id (number) or membership id' })
  get(@CurrentUser() user: SalesUser, @Param('id') id: string) {
    return this.members.get(user, id);
  }
}
