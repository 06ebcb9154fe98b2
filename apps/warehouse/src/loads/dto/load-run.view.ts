import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const SHA = '9f2c4a0e8b1d7c3f5a6e2b9d0c4f8a1e3b7d5c9f0a2e4b6d8c1f3a5e7b9d0c2f';

export class SourceFileView {
  @ApiProperty({ example: 'supplier.tbl.1.gz' })
  name!: string;

  @ApiProperty({ example: 1409184 })
  bytes!: number;

  @ApiProperty({ example: SHA, description: 'SHA-256 of the file as read' })
  sha256!: string;
}

export class CheckView {
  @ApiProperty({ example: 'nationkey_in_range' })
  name!: string;

  @ApiProperty({ example: true })
  passed!: boolean;

  @ApiProperty({ example: 0, description: 'The figure the check rests on (offending rows)' })
  figure!: number;

  @ApiProperty({ example: 's_nationkey between 0 and 24' })
  detail!: string;

  @ApiProperty({ enum: ['error', 'warning'], example: 'error' })
  severity!: 'error' | 'warning';

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    example: [{ file: 'supplier.tbl', line: 17, s_suppkey: 17, s_nationkey: 31 }],
    description: 'A few offending rows, when the check failed',
  })
  sample?: Array<Record<string, unknown>>;
}

export class LoadRunView {
  @ApiProperty({ example: 12 })
  id!: number;

  @ApiProperty({ example: 'supplier' })
  job!: string;

  @ApiProperty({
    type: 'string',
    nullable: true,
    example: '20261203',
    description: 'The delivery folder (the night, YYYYMMDD); null when none was found',
  })
  delivery!: string | null;

  @ApiProperty({ enum: ['service', 'psql'], example: 'service' })
  process!: 'service' | 'psql';

  @ApiProperty({ enum: ['cron', 'cli', 'http', 'demo', 'operator'], example: 'http' })
  trigger!: string;

  @ApiProperty({ enum: ['loaded', 'skipped', 'failed'], example: 'loaded' })
  outcome!: 'loaded' | 'skipped' | 'failed';

  @ApiProperty({ type: 'string', nullable: true, example: SHA })
  contentSha256!: string | null;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    example: null,
    description: 'For a skipped run: the run that already loaded the same content',
  })
  sameAs!: number | null;

  @ApiProperty({ type: [SourceFileView] })
  files!: SourceFileView[];

  @ApiProperty({ type: 'integer', nullable: true, example: 10000 })
  rowsRead!: number | null;

  @ApiProperty({ type: 'integer', nullable: true, example: 10000 })
  rowsLoaded!: number | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    nullable: true,
    example: { copy: 412, checks: 88, publish: 251, attach: 40 },
    description: 'Milliseconds per phase of a loaded run',
  })
  phaseMs!: Record<string, number> | null;

  @ApiProperty({ type: [CheckView] })
  checks!: CheckView[];

  @ApiProperty({
    type: 'string',
    nullable: true,
    example: null,
    description: 'Why the run failed, naming the file, line and column',
  })
  error!: string | null;

  @ApiProperty({ example: '2026-12-03T02:30:00.120Z' })
  startedAt!: string;

  @ApiProperty({ example: '2026-12-03T02:30:01.480Z' })
  finishedAt!: string;

  @ApiProperty({ example: 'warehouse_loader', description: 'The PostgreSQL role that ran it' })
  runBy!: string;
}

export class LoadRunListView {
  @ApiProperty({ example: 1 })
  total!: number;

  @ApiProperty({ type: [LoadRunView] })
  items!: LoadRunView[];
}
