import { PageQuery } from '@des/shared';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { HasAtMostDecimals } from '../../http/decimals';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateItemDto {
  @ApiProperty({ example: 'Steel water bottle' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: 'Acme' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  manufacturer!: string;

  @ApiProperty({ example: 12.5, description: 'Price, at most 2 decimals, ≥ 0' })
  @HasAtMostDecimals(2)
  @Min(0)
  @Max(9_999_999_999)
  cost!: number;

  @ApiProperty({ example: 0.35, description: 'Weight in kg, at most 3 decimals, > 0' })
  @HasAtMostDecimals(3)
  @Min(0.001)
  @Max(9_999_999)
  weightKg!: number;
}

export class UpdateItemDto extends PartialType(CreateItemDto) {}

export class ListItemsQuery extends PageQuery(100, 1000) {
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  includeRetired: boolean = false;
}

export class DeleteItemQuery {
  @ApiPropertyOptional({
    default: false,
    description: 'Delete the row instead of retiring it; refused (409) once the item was sold',
  })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  hard: boolean = false;
}

export class ItemView {
  @ApiProperty({ example: 7 })
  id!: number;

  @ApiProperty({ example: 'Steel water bottle' })
  name!: string;

  @ApiProperty({ example: 'Acme' })
  manufacturer!: string;

  @ApiProperty({ example: 12.5 })
  cost!: number;

  @ApiProperty({ example: 0.35 })
  weightKg!: number;

  @ApiProperty({ type: String, nullable: true, example: null, description: 'Set when retired' })
  retiredAt!: string | null;
}
