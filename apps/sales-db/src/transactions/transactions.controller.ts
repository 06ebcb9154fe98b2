import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { ApiBasicAuth, ApiTags } from '@nestjs/swagger';
import { BasicAuthGuard, CurrentUser } from '../auth/basic-auth.guard';
import { SalesUser } from '../auth/teams';
import { CreateTransactionDto, ListTransactionsQuery } from './dto/transaction.dto';
import { TransactionsService } from './transactions.service';

@ApiTags('transactions')
@ApiBasicAuth()
@UseGuards(BasicAuthGuard)
@Controller('transactions')
export class TransactionsController {
  constructor(private readonly transactions: TransactionsService) {}

  @Get()
  list(@CurrentUser() user: SalesUser, @Query() query: ListTransactionsQuery) {
    return this.transactions.list(user, query);
  }

  @Get(':id')
  get(@CurrentUser() user: SalesUser, @Param('id', ParseIntPipe) id: number) {
    return this.transactions.get(user, id);
  }

  @Post()
  create(@CurrentUser() user: SalesUser, @Body() input: CreateTransactionDto) {
    return this.transactions.create(user, input);
  }

  @Post(':id/complete')
  @HttpCode(200)
  complete(@CurrentUser() user: SalesUser, @Param('id', ParseIntPipe) id: number) {
    return this.transactions.complete(user, id);
  }
}
