import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '@des/shared';
import { RowErrorDto } from '../../common/error-response.dto';

export class AnomalyDto {
  @ApiProperty({ example: 3 })
  count!: number;

  @ApiProperty({ type: [Number], example: [14, 15, 90], description: 'First lines (at most 10)' })
  sampleLines!: number[];
}

export class ImportReportDto {
  @ApiPropertyOptional({
    type: AnomalyDto,
    description: 'Clicks of a campaign without impressions in the dataset',
  })
  clicksWithoutImpressions?: AnomalyDto;

  @ApiPropertyOptional({
    type: AnomalyDto,
    description: 'Conversions whose click is not in the dataset (stored, counting for nothing)',
  })
  conversionsWithoutClick?: AnomalyDto;

  @ApiPropertyOptional({
    example: 1301,
    description: 'The last line had no line ending; accepted as a complete row',
  })
  lastLineWithoutLineEnding?: number;
}

export class FileResultDto {
  @ApiProperty({ example: 41 }) id!: number;
  @ApiProperty({ example: 'clicks_2.csv' }) fileName!: string;
  @ApiProperty({ enum: ['impressions', 'clicks', 'conversions'], example: 'clicks' }) kind!: string;
  @ApiProperty({ example: 2 }) quarter!: number;
  @ApiProperty({ example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' })
  sha256!: string;
  @ApiProperty({ example: 15000 }) rowsTotal!: number;
  @ApiProperty({ example: 14990 }) rowsInserted!: number;
  @ApiProperty({
    example: 10,
    description: 'Rows already in the quarter’s set with the same values',
  })
  rowsSkipped!: number;
  @ApiProperty({ type: ImportReportDto }) report!: ImportReportDto;
}

export class DatasetResultDto {
  @ApiProperty({ example: 12 }) id!: number;
  @ApiProperty({ example: 2 }) quarter!: number;
  @ApiProperty({
    enum: ['published', 'draft'],
    example: 'published',
    description: 'draft: kinds are missing, the previous set keeps serving',
  })
  status!: string;
  @ApiProperty({ type: [String], example: [] }) missing!: string[];
}

export class UploadAnswerDto {
  @ApiProperty({ example: '6f1e9a4c-2b1d-4c3e-9f8a-7d6c5b4a3f21' }) uploadId!: string;
  @ApiProperty({ type: [FileResultDto] }) imports!: FileResultDto[];
  @ApiProperty({ type: [DatasetResultDto] }) datasets!: DatasetResultDto[];
}

export class FileRefusalDto {
  @ApiProperty({ example: 'conversions_1.csv' }) fileName!: string;
  @ApiProperty({ example: 'conversions' }) kind!: string;
  @ApiProperty({ example: 1 }) quarter!: number;
  @ApiProperty({ type: [RowErrorDto], description: 'A bounded sample (at most 100)' })
  errors!: RowErrorDto[];
  @ApiProperty({ example: 3 }) errorCount!: number;
  @ApiPropertyOptional({
    example: { id: 7, fileName: 'clicks_1.csv', createdAt: '2026-12-03T09:10:00.000Z' },
  })
  duplicateOf?: { id: number; fileName: string; createdAt: string };
}

export class UploadRefusalDto {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'Bad Request' }) error!: string;
  @ApiProperty({
    example:
      'Upload refused, nothing stored: conversions_1.csv (3 invalid rows). conversions_1.csv: line 3 click_id: must be a whole number of at most 18 digits (got "abc")',
  })
  message!: string;
  @ApiProperty({ example: '3f1c2a9e-8d7b-4a61-9a0e-2b6c5d4e3f21' }) correlationId!: string;
  @ApiPropertyOptional({ example: '6f1e9a4c-2b1d-4c3e-9f8a-7d6c5b4a3f21' }) uploadId?: string;
  @ApiPropertyOptional({ type: [FileRefusalDto] }) files?: FileRefusalDto[];
  @ApiPropertyOptional({ type: [RowErrorDto] }) errors?: RowErrorDto[];
}

export class ImportRecordDto {
  @ApiProperty({ example: 41 }) id!: number;
  @ApiProperty({ example: '2026-12-03T09:10:00.000Z' }) createdAt!: Date;
  @ApiProperty({ example: 'clicks_2.csv' }) fileName!: string;
  @ApiProperty({ example: 'clicks', nullable: true }) kind!: string | null;
  @ApiProperty({ example: 2, nullable: true }) quarter!: number | null;
  @ApiProperty({
    example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    nullable: true,
  })
  sha256!: string | null;
  @ApiProperty({ enum: ['accepted', 'rejected', 'duplicate', 'deleted'], example: 'accepted' })
  status!: string;
  @ApiProperty({ example: 15000 }) rowsTotal!: number;
  @ApiProperty({ example: 14990 }) rowsInserted!: number;
  @ApiProperty({ example: 10 }) rowsSkipped!: number;
  @ApiProperty({ example: 0 }) unmatchedConversions!: number;
  @ApiProperty({ example: null, nullable: true }) duplicateOf!: number | null;
  @ApiProperty({ example: null, nullable: true }) reason!: string | null;
  @ApiProperty({ type: [RowErrorDto], nullable: true }) errors!: unknown[] | null;
  @ApiProperty({ example: 'demo', nullable: true }) importedBy!: string | null;
  @ApiProperty({ example: '6f1e9a4c-2b1d-4c3e-9f8a-7d6c5b4a3f21', nullable: true }) uploadId!:
    string | null;
  @ApiProperty({ type: ImportReportDto, nullable: true }) report!: ImportReportDto | null;
}

export class ImportPageDto {
  @ApiProperty({ example: 38 }) total!: number;
  @ApiProperty({ example: 50 }) limit!: number;
  @ApiProperty({ example: 0 }) offset!: number;
  @ApiProperty({ type: [ImportRecordDto] }) items!: ImportRecordDto[];
}

/** `?limit=&offset=` of GET /imports and GET /datasets. */
export class HistoryPageQuery extends PageQuery(50, 500) {}
