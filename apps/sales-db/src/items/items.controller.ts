import {
  Body,
  Controller,
  Delete,
  Get,
  Patch,
  Post,
  Query,
  UseGuards,
  HttpStatus,
  Param,
} from '@nestjs/common';
import {
  ApiBasicAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { StrictIdPipe } from '@des/shared';
import { BasicAuthGuard, CurrentUser } from '../auth/basic-auth.guard';
import { SalesUser } from '../auth/teams';
import { ApiErrors } from '../http/api-docs';
import {
  CreateItemDto,
  DeleteItemQuery,
  ListItemsQuery,
  UpdateItemDto,
  ItemView,
} from './dto/item.dto';
import { ItemsService } from './items.service';

@ApiTags('items')
@ApiBasicAuth()
@UseGuards(BasicAuthGuard)
@Controller('items')
export class ItemsController {
  constructor(private readonly items: ItemsService) {}

  @ApiOperation({ summary: 'List catalogue items (live ones unless includeRetired=true), by id' })
  @ApiOkResponse({ type: [ItemView] })
  @ApiErrors()
  @Get()
  list(@CurrentUser() user: SalesUser, @Query() query: ListItemsQuery) {
    return this.items.list(user, query);
  }

  @ApiOperation({ summary: 'Add an item to the catalogue (sales team)' })
  @ApiCreatedResponse({ type: ItemView })
  @ApiErrors(HttpStatus.CONFLICT)
  @Post()
  create(@CurrentUser() user: SalesUser, @Body() item: CreateItemDto) {
    return this.items.create(user, item);
  }

  @ApiOperation({
    summary:
      'Change an item (sales team); past sales keep their prices, and a sold item keeps its name and manufacturer (409: retire it and create a new one)',
  })
  @ApiOkResponse({ type: ItemView })
  @ApiErrors(HttpStatus.NOT_FOUND, HttpStatus.CONFLICT)
  @Patch(':id')
  update(
    @CurrentUser() user: SalesUser,
    @Param('id', new StrictIdPipe('int4')) id: number,
    @Body() changes: UpdateItemDto,
  ) {
    return this.items.update(user, id, changes);
  }

  @ApiOperation({
    summary:
      'Retire an item (sales team); hard=true deletes it, only if it was never sold (else 409)',
  })
  @ApiOkResponse({ type: ItemView })
  @ApiErrors(HttpStatus.NOT_FOUND, HttpStatus.CONFLICT)
  @Delete(':id')
  remove(
    @CurrentUser() user: SalesUser,
    @Param('id', new StrictIdPipe('int4')) id: number,
    @Query() query: DeleteItemQuery,
  ) {
    return this.items.remove(user, id, query);
  }
}
