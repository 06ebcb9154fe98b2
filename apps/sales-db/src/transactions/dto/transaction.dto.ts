import { ID_MAXIMUM, PageQuery } from '@des/shared';
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

export class TransactionLineInput {
  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  @Max(Number(ID_MAXIMUM.int4))
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
  @Max(Number(ID_MAXIMUM.int4))
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

export class TransactionLineView {
  @ApiProperty({ example: 7 })
  itemId!: number;

  @ApiProperty({ example: 'Pro Kettle' })
  name!: string;

  @ApiProperty({ example: 'Acme' })
  manufacturer!: string;

  @ApiProperty({ example: 2 })
  quantity!: number;

  @ApiProperty({ example: 49.9, description: 'Price at purchase' })
  unitPrice!: number;

  @ApiProperty({ example: 1.2, description: 'Weight at purchase' })
  unitWeightKg!: number;
}

export class TransactionView {
  @ApiProperty({ example: 5012 })
  id!: number;

  @ApiProperty({ example: 24 })
  memberId!: number;

  @ApiProperty({ example: '2026-11-30T14:03:11.000Z' })
  purchasedAt!: string;

  @ApiProperty({ enum: STATUSES, example: 'pending' })
  status!: 'pending' | 'completed';

  @ApiProperty({ type: String, nullable: true, example: null })
  completedAt!: string | null;

  @ApiProperty({ example: 99.8 })
  totalPrice!: number;

  @ApiProperty({ example: 2.4 })
  totalWeightKg!: number;

  @ApiProperty({ example: 2, description: 'Units over all lines' })
  itemCount!: number;

  @ApiProperty({ type: [TransactionLineView] })
  lines!: TransactionLineView[];
}
