import { Body, Controller, Delete, Get, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBasicAuth, ApiTags } from '@nestjs/swagger';
import { BasicAuthGuard, CurrentUser } from '../auth/basic-auth.guard';
import { SalesUser } from '../auth/teams';
import { ApiIdParam, IdParam } from '../http/strict-id.pipe';
import { CreateItemDto, DeleteItemQuery, ListItemsQuery, UpdateItemDto } from './dto/item.dto';
import { ItemsService } from './items.service';

@ApiTags('items')
@ApiBasicAuth()
@UseGuards(BasicAuthGuard)
@Controller('items')
export class ItemsController {
  constructor(private readonly items: ItemsService) {}

  @Get()
  list(@CurrentUser() user: SalesUser, @Query() query: ListItemsQuery) {
    return this.items.list(user, query);
  }

  @Post()
  create(@CurrentUser() user: SalesUser, @Body() item: CreateItemDto) {
    return this.items.create(user, item);
  }

  @Patch(':id')
  @ApiIdParam('Item id')
  update(@CurrentUser() user: SalesUser, @IdParam() id: number, @Body() changes: UpdateItemDto) {
    return this.items.update(user, id, changes);
  }

  @Delete(':id')
  @ApiIdParam('Item id')
  remove(@CurrentUser() user: SalesUser, @IdParam() id: number, @Query() query: DeleteItemQuery) {
    return this.items.remove(user, id, query);
  }
}
