import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { ImportKind } from '../import.entity';

/** Form fields of POST /imports; both optional when the file is named `<kind>_<quarter>.csv`. */
export class ImportFieldsDto {
  @ApiPropertyOptional({ enum: ['impressions', 'clicks', 'conversions'] })
  @IsOptional()
  @IsIn(['impressions', 'clicks', 'conversions'])
  kind?: ImportKind;

  @ApiPropertyOptional({ minimum: 1, maximum: 4, description: 'Quarter of the hour (dataset 1-4)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(4)
  quarter?: number;
}

/** What the multipart body looks like, for the OpenAPI docs. */
export class ImportUploadDto extends ImportFieldsDto {
  @ApiPropertyOptional({
    type: 'string',
    format: 'binary',
    description: 'One or more CSV files (field name "file")',
  })
  file?: unknown;
}
