import {
  Body,
  Controller,
  Get,
  HttpCode,
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
  CreateTransactionDto,
  ListTransactionsQuery,
  TransactionView,
} from './dto/transaction.dto';
import { TransactionsService } from './transactions.service';

@ApiTags('transactions')
@ApiBasicAuth()
@UseGuards(BasicAuthGuard)
@Controller('transactions')
export class TransactionsController {
  constructor(private readonly transactions: TransactionsService) {}

  @ApiOperation({
    summary:
      'List transactions with totals and lines, oldest first (logistics, analytics, checkout)',
  })
  @ApiOkResponse({ type: [TransactionView] })
  @ApiErrors()
  @Get()
  list(@CurrentUser() user: SalesUser, @Query() query: ListTransactionsQuery) {
    return this.transactions.list(user, query);
  }

  @ApiOperation({ summary: 'One transaction with its totals and lines' })
  @ApiOkResponse({ type: TransactionView })
  @ApiErrors(HttpStatus.NOT_FOUND)
  @Get(':id')
  get(@CurrentUser() user: SalesUser, @Param('id', new StrictIdPipe('int8')) id: string) {
    return this.transactions.get(user, id);
  }

  @ApiOperation({
    summary:
      'Record a purchase (checkout team): prices and weights come from the items, all or nothing',
  })
  @ApiCreatedResponse({ type: TransactionView })
  @ApiErrors()
  @Post()
  create(@CurrentUser() user: SalesUser, @Body() input: CreateTransactionDto) {
    return this.transactions.create(user, input);
  }

  @ApiOperation({ summary: 'Mark a pending transaction completed (logistics team); final' })
  @ApiOkResponse({ type: TransactionView })
  @ApiErrors(HttpStatus.NOT_FOUND, HttpStatus.CONFLICT)
  @Post(':id/complete')
  @HttpCode(200)
  complete(@CurrentUser() user: SalesUser, @Param('id', new StrictIdPipe('int8')) id: string) {
    return this.transactions.complete(user, id);
  }
}
