import { ApiPropertyOptional } from '@nestjs/swagger';
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

export interface TopMember {
  memberId: number;
  membershipId: string;
  firstName: string;
  lastName: string;
  totalSpent: number;
  transactionCount: number;
}

export interface TopItem {
  itemId: number;
  name: string;
  manufacturer: string;
  unitsSold: number;
  transactionCount: number;
}
