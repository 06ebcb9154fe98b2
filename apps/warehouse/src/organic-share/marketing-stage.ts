import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { SourceFileError } from '../loads/errors';
import type { SourceFile } from '../loads/warehouse-job';
import { ParquetFileReader, ParquetInputError } from '../parquet';
import { MARKETING_COLUMN_NAMES, MARKETING_COLUMNS } from './marketing-columns';

/**
 * The run's stage: a temporary table (private to the run's connection, dropped with its
 * transaction) with the source's columns as delivered, wide enough that COPY never judges a value
 * (the checks do), plus the file and row each row came from so a failed check can name them.
 */
export const MARKETING_STAGE = 'pg_temp.marketing_stage';

export async function createMarketingStage(client: Client): Promise<void> {
  // Temporary tables live in per-connection buffers (8 MB by default): give a delivery room.
  await client.query("SET LOCAL temp_buffers = '128MB'");
  await client.query(`
    CREATE TEMPORARY TABLE marketing_stage (
      source_file text NOT NULL,
      source_row bigint NOT NULL,
      name text,
      value double precision,
      start_date date,
      end_date date,
      year_week text,
      has_subtrackers boolean,
      token text,
      dataplatform_inserted_at timestamptz,
      country text,
      os_name text
    ) ON COMMIT DROP`);
}

/** Rows per COPY chunk: ~0.5 MB of text. */
const COPY_SLICE_ROWS = 5_000;

export interface StagedFile {
  rows: number;
  rowGroups: number;
}

/**
 * Streams one Parquet file into the stage, one row group at a time, as COPY text: memory holds
 * one decoded row group, never the file. Bad files throw a SourceFileError naming the file,
 * row group and column.
 */
export async function copyParquetToStage(
  client: Client,
  file: SourceFile,
  onRows: (rows: number) => void,
): Promise<StagedFile> {
  let reader: ParquetFileReader;
  try {
    reader = await ParquetFileReader.open(file.path, MARKETING_COLUMNS);
  } catch (error) {
    throw asSourceFileError(file, error);
  }
  let rows = 0;
  try {
    const copy = client.query(
      copyFrom(
        `COPY ${MARKETING_STAGE} (source_file, source_row, ${MARKETING_COLUMN_NAMES.join(', ')}) FROM STDIN`,
      ),
    );
    const fileName = copyText(file.name);
    async function* lines(): AsyncGenerator<string> {
      for await (const group of reader.rowGroups()) {
        // COPY text in slices, so a large row group never becomes one huge string.
        for (let start = 0; start < group.rowCount; start += COPY_SLICE_ROWS) {
          let text = '';
          for (let row = start; row < Math.min(start + COPY_SLICE_ROWS, group.rowCount); row++) {
            text += `${fileName}\t${group.firstRow + row + 1}`;
            for (const column of group.columns) text += `\t${copyText(column[row])}`;
            text += '\n';
          }
          yield text;
        }
        rows += group.rowCount;
        onRows(group.rowCount);
      }
    }
    // One row group in flight: Readable.from would otherwise decode up to 16 groups ahead of COPY.
    await pipeline(Readable.from(lines(), { highWaterMark: 1 }), copy);
    return { rows, rowGroups: reader.rowGroupCount };
  } catch (error) {
    throw asSourceFileError(file, error);
  } finally {
    await reader.close();
  }
}

/** A value in COPY's text format: `\N` for null, the four special characters escaped. */
function copyText(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  const text = String(value);
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!) : text;
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function asSourceFileError(file: SourceFile, error: unknown): SourceFileError {
  if (error instanceof ParquetInputError) {
    return new SourceFileError(file.name, error.reason, {
      rowGroup: error.rowGroup,
      column: error.column,
    });
  }
  // PostgreSQL refusing a value during COPY (its message names the column and line).
  return new SourceFileError(file.name, (error as Error).message);
}
