import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, Matches } from 'class-validator';
import { Status, STATUSES } from '../series-index';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_MESSAGE = 'must be a real calendar date written YYYY-MM-DD';

/** Date range shared by the series and export queries. */
export class DateRangeDto {
  @ApiPropertyOptional({
    example: '2022-01-01',
    description: 'First day (default: first day of data)',
  })
  @IsOptional()
  @Matches(ISO_DATE, { message: `from ${DATE_MESSAGE}` })
  @IsISO8601({ strict: true }, { message: `from ${DATE_MESSAGE}` })
  from?: string;

  @ApiPropertyOptional({
    example: '2023-03-09',
    description: 'Last day (default: last day of data)',
  })
  @IsOptional()
  @Matches(ISO_DATE, { message: `to ${DATE_MESSAGE}` })
  @IsISO8601({ strict: true }, { message: `to ${DATE_MESSAGE}` })
  to?: string;

  @ApiPropertyOptional({ enum: STATUSES, default: 'confirmed' })
  @IsOptional()
  @IsIn(STATUSES, { message: `metric must be one of ${STATUSES.join(', ')}` })
  metric: Status = 'confirmed';
}

export class SeriesQueryDto extends DateRangeDto {
  @ApiProperty({ example: 'Singapore', description: 'JHU name, covid19api slug or ISO-2 code' })
  @IsString()
  @IsNotEmpty()
  country!: string;
}

export class ExportQueryDto extends DateRangeDto {
  @ApiProperty({ example: 'Singapore,Malaysia', description: 'Comma-separated countries' })
  @IsString()
  @IsNotEmpty()
  countries!: string;
}

export class SeriesRowDto {
  @ApiProperty({ example: '2022-03-01' })
  date!: string;

  @ApiProperty({ description: 'Cumulative count on that day', example: 16169 })
  cumulative!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'cumulative minus the previous day (negative on data corrections; null on the first day)',
  })
  daily!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Mean of the daily values of this day and the 6 before (null until 7 exist)',
  })
  avg7!: number | null;
}

export class CountryDto {
  @ApiProperty({ example: 'Singapore' }) name!: string;
  @ApiProperty({ example: 'singapore' }) slug!: string;
  @ApiProperty({ example: 'SG' }) code!: string;
  @ApiProperty({ example: '2020-01-22' }) firstDate!: string;
  @ApiProperty({ example: '2023-03-09' }) lastDate!: string;
}

export class CountriesResponseDto {
  @ApiProperty({ example: '2023-03-09', nullable: true, type: String }) dataAsOf!: string | null;
  @ApiProperty({ example: 'Johns Hopkins CSSE COVID-19 Data Repository (global time series)' })
  source!: string;
  @ApiProperty({ description: 'Snapshot load and live refresh status' })
  status!: object;
  @ApiProperty({ type: [CountryDto] }) countries!: CountryDto[];
}
