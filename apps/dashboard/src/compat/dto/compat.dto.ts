import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString } from 'class-validator';
import { Status, STATUSES } from '../../series/series-index';

export class CompatParamsDto {
  @ApiProperty({ example: 'singapore', description: 'covid19api.com slug (JHU names work too)' })
  @IsString()
  @IsNotEmpty()
  slug!: string;

  @ApiProperty({ enum: STATUSES, example: 'confirmed' })
  @IsIn(STATUSES, {
    message: `status must be one of ${STATUSES.join(', ')} (recovered is not in the JHU snapshot)`,
  })
  status!: Status;
}

/** covid19api.com accepted `?from=2020-03-01T00:00:00Z&to=2020-04-01T00:00:00Z`. */
export class CompatQueryDto {
  @ApiPropertyOptional({ example: '2020-03-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO-8601 date or date-time' })
  from?: string;

  @ApiPropertyOptional({ example: '2020-04-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO-8601 date or date-time' })
  to?: string;
}

/** One element of the old API's response. */
export class CompatCaseDto {
  @ApiProperty({ example: 'Singapore' }) Country!: string;
  @ApiProperty({ example: 'SG' }) CountryCode!: string;
  @ApiProperty({ example: '' }) Province!: string;
  @ApiProperty({ example: '' }) City!: string;
  @ApiProperty({ example: '' }) CityCode!: string;
  @ApiProperty({ example: '1.28' }) Lat!: string;
  @ApiProperty({ example: '103.83' }) Lon!: string;
  @ApiProperty({ example: 16169 }) Cases!: number;
  @ApiProperty({ example: 'confirmed' }) Status!: string;
  @ApiProperty({ example: '2020-04-30T00:00:00Z' }) Date!: string;
}
