import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { HistoryPageQuery } from '../../imports/dto/import-answers.dto';

export class DatasetFileDto {
  @ApiProperty({ example: 41 }) importId!: number;
  @ApiProperty({ example: 'clicks_2.csv' }) fileName!: string;
  @ApiProperty({ example: 'clicks' }) kind!: string;
  @ApiProperty({ example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' })
  sha256!: string;
  @ApiProperty({ example: 15000 }) rowsTotal!: number;
  @ApiProperty({ example: 15000 }) rowsInserted!: number;
  @ApiProperty({ example: 0 }) rowsSkipped!: number;
  @ApiProperty({ example: 'demo', nullable: true }) importedBy!: string | null;
  @ApiProperty({ example: '2026-12-03T09:10:00.000Z' }) importedAt!: Date;
}

export class DatasetDto {
  @ApiProperty({ example: 12 }) id!: number;
  @ApiProperty({ example: 2 }) quarter!: number;
  @ApiProperty({
    enum: ['draft', 'published', 'retired', 'superseded', 'rolled-back'],
    example: 'published',
  })
  status!: string;
  @ApiProperty({ example: 9, nullable: true, description: 'The dataset this one was built on' })
  baseId!: number | null;
  @ApiProperty({ example: '2026-12-03T09:10:00.000Z' }) createdAt!: Date;
  @ApiProperty({ example: '2026-12-03T09:10:00.000Z', nullable: true }) publishedAt!: Date | null;
  @ApiProperty({ example: 'demo', nullable: true }) importedBy!: string | null;
  @ApiProperty({ type: [DatasetFileDto] }) files!: DatasetFileDto[];
}

export class DatasetPageDto {
  @ApiProperty({ example: 5 }) total!: number;
  @ApiProperty({ example: 50 }) limit!: number;
  @ApiProperty({ example: 0 }) offset!: number;
  @ApiProperty({ type: [DatasetDto] }) items!: DatasetDto[];
}

export class DatasetPageQuery extends HistoryPageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 4, example: 2 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(4)
  quarter?: number;
}

export class DeletedDto {
  @ApiProperty({ example: 2 }) quarter!: number;
  @ApiProperty({ example: 3, description: 'Datasets removed (every version)' }) datasets!: number;
  @ApiProperty({ example: 7, description: 'Files whose rows were removed' }) files!: number;
}

export class RollbackDto {
  @ApiProperty({ example: 2 }) quarter!: number;
  @ApiProperty({
    example: 14,
    description: 'The dataset that no longer serves (0: none was serving)',
  })
  from!: number;
  @ApiProperty({ example: 12, description: 'The dataset serving again' }) to!: number;
}
