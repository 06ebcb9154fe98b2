import { basename } from 'node:path';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FAILURE_REASONS } from '../../applications/application-rules';
import { RunFile } from '../run-file.entity';
import { Run, RunSummary } from '../run.entity';
import type { AmbiguousSeparator, OrderDecision } from '../../applications/birthday';

const FAILURE_REASONS_DESCRIPTION = `Failed rows per reason (${FAILURE_REASONS.join(', ')}); a row failing two rules counts for both`;

export class RunFileView {
  @ApiProperty({ example: 'applications_20260101T100000Z_1.csv' })
  fileName!: string;

  @ApiProperty({ description: 'SHA-256 of the content: the ledger key' })
  sha256!: string;

  @ApiProperty()
  sizeBytes!: number;

  @ApiProperty({
    enum: [
      'processed',
      'rejected',
      'skipped_already_seen',
      'skipped_same_content',
      'skipped_busy',
      'skipped_changing',
    ],
  })
  outcome!: string;

  @ApiProperty({
    description: 'True when the file was moved to rejected/ for its header or encoding',
  })
  rejected!: boolean;

  @ApiPropertyOptional({ nullable: true, type: String })
  reason!: string | null;

  @ApiProperty({ description: 'Data rows read (header excluded)' })
  read!: number;

  @ApiProperty()
  successful!: number;

  @ApiProperty()
  failed!: number;

  @ApiProperty({ description: 'Rows equal to one already kept in this run, kept once' })
  duplicates!: number;

  @ApiProperty({
    description:
      'Successful applications an earlier run already emitted (same cleaned application): counted, not written again',
  })
  alreadyEmitted!: number;

  @ApiProperty({ description: 'NN/NN/YYYY or NN-NN-YYYY birthdays valid under both field orders' })
  ambiguousDates!: number;

  @ApiPropertyOptional({
    description: FAILURE_REASONS_DESCRIPTION,
    nullable: true,
    type: Object,
    example: { mobile_no: 604, email: 581 },
  })
  failureReasons!: Record<string, number> | null;

  @ApiPropertyOptional({
    description: 'Per separator: the field order used for ambiguous dates and its evidence',
    nullable: true,
    type: Object,
  })
  dateOrders!: Record<AmbiguousSeparator, OrderDecision> | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Where the input went, relative to the data folder',
    example: 'processed/applications_20260101T100000Z_1.csv',
  })
  movedTo!: string | null;
}

export class RunView {
  @ApiProperty({ example: '20260101T100000Z-1a2b3c' })
  id!: string;

  @ApiProperty({ enum: ['cron', 'cli', 'http', 'demo'] })
  trigger!: string;

  @ApiProperty({ enum: ['running', 'committed', 'completed', 'failed', 'abandoned'] })
  status!: string;

  @ApiProperty()
  startedAt!: Date;

  @ApiPropertyOptional({ nullable: true, type: Date })
  finishedAt!: Date | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Relative to the data folder (PIPELINE_DATA_DIR)',
    example: 'successful/applications_20260101T100000Z-1a2b3c.csv',
  })
  successfulOutput!: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Relative to the data folder (PIPELINE_DATA_DIR)',
    example: 'failed/applications_20260101T100000Z-1a2b3c.csv',
  })
  failedOutput!: string | null;

  @ApiProperty()
  rowsRead!: number;

  @ApiProperty()
  successful!: number;

  @ApiProperty()
  failed!: number;

  @ApiProperty()
  duplicates!: number;

  @ApiProperty({
    description:
      'Successful applications an earlier run already emitted (same cleaned application): counted, not written again',
  })
  alreadyEmitted!: number;

  @ApiProperty()
  ambiguousDates!: number;

  @ApiPropertyOptional({
    description: FAILURE_REASONS_DESCRIPTION,
    nullable: true,
    type: Object,
    example: { mobile_no: 604, email: 581 },
  })
  failureReasons!: Record<string, number> | null;

  @ApiProperty({
    description: 'Rows given a membership id another person already held in this run',
  })
  membershipCollisions!: number;

  @ApiProperty({
    description:
      'Membership ids of this run that an earlier run issued to a different person (once per id)',
  })
  crossRunCollisions!: number;

  @ApiProperty()
  filesProcessed!: number;

  @ApiProperty()
  filesRejected!: number;

  @ApiProperty()
  filesSkipped!: number;

  @ApiPropertyOptional({ nullable: true, type: Object })
  summary!: RunSummary | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  error!: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'While the run is going: the file it is reading (rowsRead counts rows so far)',
  })
  currentFile?: string | null;

  @ApiProperty({ type: [RunFileView] })
  files!: RunFileView[];
}

export class RunListView {
  @ApiProperty()
  total!: number;

  @ApiProperty({ type: [RunView] })
  runs!: RunView[];
}

/**
 * A stored path as clients see it: its folder's role and its name (`successful/applications_…
 * .csv`), which is the path relative to the data folder with the default folders; never the
 * server's absolute path.
 */
export function publishedPath(folder: string, path: string | null): string | null {
  return path === null ? null : `${folder}/${basename(path)}`;
}

export function toRunFileView(file: RunFile): RunFileView {
  return {
    fileName: file.fileName,
    sha256: file.sha256,
    sizeBytes: Number(file.sizeBytes),
    outcome: file.outcome,
    rejected: file.outcome === 'rejected',
    reason: file.reason,
    read: file.rowsRead,
    successful: file.successful,
    failed: file.failed,
    duplicates: file.duplicates,
    alreadyEmitted: file.alreadyEmitted,
    ambiguousDates: file.ambiguousDates,
    failureReasons: file.failureReasons,
    dateOrders: file.dateOrders,
    movedTo: publishedPath(file.outcome === 'processed' ? 'processed' : 'rejected', file.movedTo),
  };
}

export function toRunView(run: Run): RunView {
  const files = (run.files ?? []).map(toRunFileView);
  return {
    id: run.id,
    trigger: run.trigger,
    status: run.status,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    successfulOutput: publishedPath('successful', run.successfulOutput),
    failedOutput: publishedPath('failed', run.failedOutput),
    rowsRead: run.rowsRead,
    successful: run.successful,
    failed: run.failed,
    duplicates: run.duplicates,
    alreadyEmitted: run.alreadyEmitted,
    ambiguousDates: run.ambiguousDates,
    failureReasons: run.failureReasons,
    membershipCollisions: run.membershipCollisions,
    crossRunCollisions: run.crossRunCollisions,
    filesProcessed: files.filter((file) => file.outcome === 'processed').length,
    filesRejected: files.filter((file) => file.outcome === 'rejected').length,
    filesSkipped: files.filter((file) => file.outcome.startsWith('skipped')).length,
    summary: run.summary,
    error: run.error,
    files,
  };
}
