import { PageQuery } from '@des/shared';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { INT4_MAX } from '../../http/strict-id.pipe';

export class TransactionLineInput {
  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  @Max(INT4_MAX)
  itemId!: number;

  @ApiProperty({ example: 2, minimum: 1, maximum: 1000 })
  @IsInt()
  @Min(1)
  @Max(1000)
  quantity!: number;
}

export class CreateTransactionDto {
  @ApiProperty({ example: 1, description: "The member's surrogate id (GET /members/:id)" })
  @IsInt()
  @Min(1)
  @Max(INT4_MAX)
  memberId!: number;

  @ApiProperty({
    type: [TransactionLineInput],
    description: 'One entry per item; prices and weights are taken from the items',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique((line: TransactionLineInput) => line?.itemId, {
    message: 'each item may appear once',
  })
  @ValidateNested({ each: true })
  @Type(() => TransactionLineInput)
  items!: TransactionLineInput[];
}

export const STATUSES = ['pending', 'completed'] as const;

export class ListTransactionsQuery extends PageQuery(50, 500) {
  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  status?: (typeof STATUSES)[number];
}

export interface TransactionLineView {
  itemId: number;
  name: string;
  manufacturer: string;
  quantity: number;
  unitPrice: number;
  unitWeightKg: number;
}

export interface TransactionView {
  id: number;
  memberId: number;
  purchasedAt: string;
  status: 'pending' | 'completed';
  completedAt: string | null;
  totalPrice: number;
  totalWeightKg: number;
  itemCount: number;
  lines: TransactionLineView[];
}
