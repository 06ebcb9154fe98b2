import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { ImportKind } from '../import.entity';

/** Form fields of POST /imports; kind and quarter are optional when the file is named `<kind>_<quarter>.csv`. */
export class ImportFieldsDto {
  @ApiPropertyOptional({ enum: ['impressions', 'clicks', 'conversions'], example: 'clicks' })
  @IsOptional()
  @IsIn(['impressions', 'clicks', 'conversions'])
  kind?: ImportKind;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 4,
    example: 2,
    description: 'Quarter of the hour (dataset 1-4)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(4)
  quarter?: number;

  @ApiPropertyOptional({
    example: false,
    description:
      'Refuse the upload when it has anomalies (clicks of campaigns without impressions, conversions of unknown clicks) instead of reporting them',
  })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  strict?: boolean;
}

/** What the multipart body looks like, for the OpenAPI docs. */
export class ImportUploadDto extends ImportFieldsDto {
  @ApiPropertyOptional({
    type: 'string',
    format: 'binary',
    description: 'One or more CSV files (field name "file"), e.g. impressions_1.csv',
  })
  file?: unknown;
}
