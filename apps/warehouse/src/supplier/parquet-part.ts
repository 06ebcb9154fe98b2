import { Readable } from 'node:stream';
import { Client } from 'pg';
import { SourceFileError } from '../loads/errors';
import { SourceFile } from '../loads/warehouse-job';
import { ExpectedColumn, ParquetFileReader, ParquetInputError } from '../parquet';
import { SUPPLIER_COLUMNS, SupplierColumn } from './supplier-columns';
import { copyIntoStage, PartResult } from './tbl-part';

const WHOLE = ['int32', 'int64'] as const;
/** Amounts: exact decimals; a double is written in its shortest form and judged by the checks. */
const KINDS: Record<SupplierColumn, ExpectedColumn['kinds']> = {
  s_suppkey: WHOLE,
  s_name: ['string'],
  s_address: ['string'],
  s_nationkey: WHOLE,
  s_phone: ['string'],
  s_acctbal: ['decimal', 'int32', 'int64', 'float64'],
  s_comment: ['string'],
};
const ROWS_PER_CHUNK = 2_000;
/** Characters that would end a field or a line, or the (never used) quote character itself. */
// eslint-disable-next-line no-control-regex -- \x01 is the COPY quote character, on purpose
const NEEDS_QUOTES = /[|\n\r\x01]/;

/** One value as COPY text; a value holding a delimiter is quoted with the unused quote character. */
function field(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return NEEDS_QUOTES.test(text) ? `\x01${text.replaceAll('\x01', '\x01\x01')}\x01` : text;
}

/**
 * Streams a Parquet part into the stage: row group by row group (only the supplier columns are
 * read), each turned into COPY text in small chunks, so one row group at most is in memory. A COPY
 * error on line N is reported as that row of its row group.
 */
export async function copyParquetPart(
  client: Client,
  file: SourceFile,
  onBytes: (bytes: number) => void,
): Promise<PartResult> {
  let reader: ParquetFileReader;
  try {
    reader = await ParquetFileReader.open(
      file.path,
      SUPPLIER_COLUMNS.map((name) => ({ name, kinds: KINDS[name] })),
    );
  } catch (error) {
    throw named(file, error);
  }
  const groups: Array<{ index: number; firstRow: number; rowCount: number }> = [];
  async function* text(): AsyncGenerator<string> {
    try {
      for await (const group of reader.rowGroups()) {
        groups.push(group);
        for (let start = 0; start < group.rowCount; start += ROWS_PER_CHUNK) {
          let chunk = '';
          const end = Math.min(start + ROWS_PER_CHUNK, group.rowCount);
          for (let row = start; row < end; row++) {
            chunk += `${group.columns.map((column) => field(column[row])).join('|')}\n`;
          }
          yield chunk;
        }
      }
    } catch (error) {
      throw named(file, error);
    }
  }
  try {
    const result = await copyIntoStage(client, {
      file,
      trailing: false,
      sources: [Readable.from(text())],
      position: (line) => {
        const group = groups.find((g) => line > g.firstRow && line <= g.firstRow + g.rowCount);
        return group ? { rowGroup: group.index, row: line - group.firstRow } : { row: line };
      },
      onBytes,
    });
    return { ...result, linesRead: reader.rowCount };
  } finally {
    await reader.close();
  }
}

function named(file: SourceFile, error: unknown): Error {
  if (!(error instanceof ParquetInputError)) return error as Error;
  return new SourceFileError(file.name, error.reason, {
    rowGroup: error.rowGroup,
    column: error.column,
  });
}
