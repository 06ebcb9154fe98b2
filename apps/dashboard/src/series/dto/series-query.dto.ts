import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
} from 'class-validator';
import { Status, STATUSES } from '../series-index';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_MESSAGE = 'must be a real calendar date written YYYY-MM-DD';
export const PER = ['million'] as const;
/** Most countries one export (and the page's comparison) may name. */
export const MAX_COUNTRIES = 10;

/** Date range, metric and per-million switch shared by the series and export queries. */
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

  @ApiPropertyOptional({ enum: STATUSES, default: 'confirmed', example: 'confirmed' })
  @IsOptional()
  @IsIn(STATUSES, { message: `metric must be one of ${STATUSES.join(', ')}` })
  metric: Status = 'confirmed';

  @ApiPropertyOptional({
    enum: PER,
    example: 'million',
    description:
      'Adds cumulativePerMillion, dailyPerMillion and avg7PerMillion (value × 1,000,000 / population from JHU’s lookup table, 3 decimals). 400 for a country without a population.',
  })
  @IsOptional()
  @IsIn(PER, { message: 'per must be million' })
  per?: (typeof PER)[number];
}

export class SeriesQueryDto extends DateRangeDto {
  @ApiProperty({
    example: 'SG',
    description: 'JHU name (`Korea, South`), ISO 3166 alpha-2 code (`KR`) or covid19api slug',
  })
  @IsString()
  @IsNotEmpty()
  country!: string;
}

export class ExportQueryDto extends DateRangeDto {
  @ApiPropertyOptional({
    type: [String],
    example: ['Singapore', 'Korea, South'],
    description: `Repeat for each country (up to ${MAX_COUNTRIES}): JHU name, ISO alpha-2 code or slug`,
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (Array.isArray(value) ? value : [value]))
  @IsArray()
  @ArrayMaxSize(MAX_COUNTRIES, { message: `country: at most ${MAX_COUNTRIES} countries` })
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  country?: string[];

  @ApiPropertyOptional({
    example: 'Singapore,Korea, South',
    description:
      'Older form: a comma-separated list; names containing commas are recognised. Prefer repeated `country`.',
  })
  @IsOptional()
  @IsString()
  countries?: string;
}

export class SeriesRowDto {
  @ApiProperty({ example: '2023-03-09' })
  date!: string;

  @ApiProperty({ description: 'Cumulative count on that day', example: 2235294 })
  cumulative!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    example: 0,
    description:
      'cumulative minus the previous day (negative on data corrections; null on the first day)',
  })
  daily!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    example: 1258.29,
    description: 'Mean of the daily values of this day and the 6 before (null until 7 exist)',
  })
  avg7!: number | null;

  @ApiPropertyOptional({ example: 382081.237, description: 'With per=million' })
  cumulativePerMillion?: number;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    example: 0,
    description: 'With per=million',
  })
  dailyPerMillion?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    example: 215.08,
    description: 'With per=million',
  })
  avg7PerMillion?: number | null;
}

export class ReportingStretchDto {
  @ApiProperty({ example: '2023-02-13' }) from!: string;
  @ApiProperty({ example: '2023-03-09' }) to!: string;
}

export class CountryDto {
  @ApiProperty({ example: 'SG', description: 'Stable id for links: ISO alpha-2, else the slug' })
  id!: string;
  @ApiProperty({ example: 'Singapore', description: 'As JHU writes it' }) name!: string;
  @ApiProperty({ example: 'SG', type: String, nullable: true }) code!: string | null;
  @ApiProperty({ example: 'singapore' }) slug!: string;
  @ApiProperty({
    enum: ['country', 'other'],
    example: 'country',
    description: '`other`: cruise ships, Olympic games, Antarctica',
  })
  kind!: string;
  @ApiProperty({
    example: 5850343,
    type: Number,
    nullable: true,
    description: 'From JHU’s lookup table; null when it has none (no per-million values)',
  })
  population!: number | null;
  @ApiProperty({ example: '2020-01-22' }) firstDate!: string;
  @ApiProperty({ example: '2023-03-09' }) lastDate!: string;
  @ApiProperty({
    type: [ReportingStretchDto],
    description:
      'Stretches where the country reported weekly: runs of days without a report, then a week’s total',
  })
  weeklyReporting!: ReportingStretchDto[];
}

export class LiveStatusDto {
  @ApiProperty({ example: false }) configured!: boolean;
  @ApiProperty({ example: 1440 }) intervalMinutes!: number;
  @ApiProperty({ type: String, nullable: true, example: null }) lastAttemptAt!: string | null;
  @ApiProperty({ type: Boolean, nullable: true, example: null }) lastAttemptOk!: boolean | null;
  @ApiProperty({ type: String, nullable: true, example: null }) lastError!: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) lastGoodAt!: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) lastGoodDataAsOf!: string | null;
}

export class SnapshotStatusDto {
  @ApiProperty({ type: String, nullable: true, example: '2026-12-03T10:00:00.000Z' })
  loadedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2023-03-09' })
  dataAsOf!: string | null;
}

export class DataStatusDto {
  @ApiProperty({ type: String, nullable: true, example: '2023-03-09' }) dataAsOf!: string | null;
  @ApiProperty({ type: SnapshotStatusDto }) snapshot!: SnapshotStatusDto;
  @ApiProperty({ type: LiveStatusDto }) live!: LiveStatusDto;
}

export class CountriesResponseDto {
  @ApiProperty({ example: '2023-03-09', nullable: true, type: String }) dataAsOf!: string | null;
  @ApiProperty({ example: 'Johns Hopkins CSSE COVID-19 Data Repository (global time series)' })
  source!: string;
  @ApiProperty({ type: DataStatusDto, description: 'Snapshot load and live refresh status' })
  status!: DataStatusDto;
  @ApiProperty({ type: [CountryDto] }) countries!: CountryDto[];
}
