import { Controller, Get, Param, UseGuards, HttpStatus } from '@nestjs/common';
import { ApiBasicAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { BasicAuthGuard, CurrentUser } from '../auth/basic-auth.guard';
import { SalesUser } from '../auth/teams';
import { MemberView } from './members.repository';
import { ApiErrors } from '../http/api-docs';
import { MembersService } from './members.service';

@ApiTags('members')
@ApiBasicAuth()
@UseGuards(BasicAuthGuard)
@Controller('members')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @ApiOperation({
    summary:
      'One member by member id or membership id, with spending (analytics team); 409 lists the members when a membership id is shared',
  })
  @ApiOkResponse({ type: MemberView })
  @ApiErrors(HttpStatus.NOT_FOUND, HttpStatus.CONFLICT)
  @Get(':id')
  @ApiParam({ name: 'id', description: 'Member id (number) or membership id' })
  get(@CurrentUser() user: SalesUser, @Param('id') id: string) {
    return this.members.get(user, id);
  }
}
