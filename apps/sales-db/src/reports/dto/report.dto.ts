import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

export class TopMembersQuery {
  @ApiPropertyOptional({ default: 10, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 10;
}

export const RANKINGS = ['quantity', 'transactions'] as const;
export type Ranking = (typeof RANKINGS)[number];

export class TopItemsQuery {
  @ApiPropertyOptional({ default: 3, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 3;

  @ApiPropertyOptional({ enum: RANKINGS, default: 'quantity' })
  @IsOptional()
  @IsIn(RANKINGS)
  by: Ranking = 'quantity';
}

export class TopMember {
  @ApiProperty({ example: 24 })
  memberId!: number;

  @ApiProperty({ example: 'Smith_af3c0' })
  membershipId!: string;

  @ApiProperty({ example: 'Henry' })
  firstName!: string;

  @ApiProperty({ example: 'Smith' })
  lastName!: string;

  @ApiProperty({ example: 8331.91 })
  totalSpent!: number;

  @ApiProperty({ example: 18 })
  transactionCount!: number;
}

export class TopItem {
  @ApiProperty({ example: 7 })
  itemId!: number;

  @ApiProperty({ example: 'Pro Kettle' })
  name!: string;

  @ApiProperty({ example: 'Acme' })
  manufacturer!: string;

  @ApiProperty({ example: 40 })
  unitsSold!: number;

  @ApiProperty({ example: 19 })
  transactionCount!: number;
}
