import { Body, Controller, Get, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBasicAuth, ApiTags } from '@nestjs/swagger';
import { BasicAuthGuard, CurrentUser } from '../auth/basic-auth.guard';
import { SalesUser } from '../auth/teams';
import { ApiIdParam, IdParam } from '../http/strict-id.pipe';
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
  @ApiIdParam('Transaction id', Number.MAX_SAFE_INTEGER)
  get(@CurrentUser() user: SalesUser, @IdParam(Number.MAX_SAFE_INTEGER) id: number) {
    return this.transactions.get(user, id);
  }

  @Post()
  create(@CurrentUser() user: SalesUser, @Body() input: CreateTransactionDto) {
    return this.transactions.create(user, input);
  }

  @Post(':id/complete')
  @ApiIdParam('Transaction id', Number.MAX_SAFE_INTEGER)
  @HttpCode(200)
  complete(@CurrentUser() user: SalesUser, @IdParam(Number.MAX_SAFE_INTEGER) id: number) {
    return this.transactions.complete(user, id);
  }
}
