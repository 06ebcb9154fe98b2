import { open, type FileHandle } from 'node:fs/promises';
import type { AsyncBuffer, FileMetaData, Hyparquet, SchemaElement } from './esm-types';
import { parquetDecompressors } from './codecs';
import { ParquetInputError } from './errors';
import {
  describeElement,
  kindOfElement,
  MAX_EXACT_DECIMAL_PRECISION,
  type ParquetColumnKind,
} from './kinds';

/** A column the caller needs, with the logical kinds it accepts for it. */
export interface ExpectedColumn {
  name: string;
  kinds: readonly ParquetColumnKind[];
}

/** One row group's projected columns, in the order they were asked for; null for a missing value. */
export interface ParquetRowGroup {
  index: number;
  /** Zero-based number of the group's first row in the file. */
  firstRow: number;
  rowCount: number;
  columns: unknown[][];
}

const MAGIC = 'PAR1';
/** Leading magic + footer length + trailing magic: nothing shorter can be a Parquet file. */
const SMALLEST_FILE = 12;

let hyparquet: Promise<Hyparquet> | undefined;
// hyparquet is an ES module; this CommonJS app loads it with a dynamic import, once.
const loadHyparquet = (): Promise<Hyparquet> => (hyparquet ??= import('hyparquet'));

/**
 * A Parquet file opened for streaming: the footer is read and the requested columns are checked
 * against it on open; rows are then decoded one row group at a time, reading from disk only the
 * byte ranges of that group's projected column chunks, so memory is bounded by one row group.
 */
export class ParquetFileReader implements AsyncDisposable {
  private constructor(
    readonly file: string,
    private readonly handle: FileHandle,
    private readonly buffer: AsyncBuffer,
    private readonly metadata: FileMetaData,
    private readonly columns: readonly ResolvedColumn[],
  ) {}

  /** Opens `file` and checks that it is Parquet and has each expected column with an accepted kind. */
  static async open(file: string, expected: readonly ExpectedColumn[]): Promise<ParquetFileReader> {
    let handle: FileHandle;
    try {
      handle = await open(file, 'r');
    } catch (error) {
      throw new ParquetInputError(file, `cannot be read (${(error as Error).message})`);
    }
    try {
      const buffer = await fileBuffer(handle);
      await checkMagic(file, buffer);
      const { parquetMetadataAsync } = await loadHyparquet();
      let metadata: FileMetaData;
      try {
        metadata = await parquetMetadataAsync(buffer);
      } catch (error) {
        throw new ParquetInputError(
          file,
          `is truncated or corrupt: its footer cannot be decoded (${(error as Error).message})`,
        );
      }
      const columns = resolveColumns(file, metadata, expected);
      return new ParquetFileReader(file, handle, buffer, metadata, columns);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  get rowCount(): number {
    return Number(this.metadata.num_rows);
  }

  get rowGroupCount(): number {
    return this.metadata.row_groups.length;
  }

  /** The compression codecs of the file's column chunks, e.g. `['ZSTD']`. */
  get codecs(): string[] {
    const codecs = this.metadata.row_groups.flatMap((group) =>
      group.columns.map((chunk) => chunk.meta_data?.codec ?? 'UNKNOWN'),
    );
    return [...new Set(codecs)];
  }

  /** Decodes the row groups one after the other; the next one is read only when asked for. */
  async *rowGroups(): AsyncGenerator<ParquetRowGroup> {
    let firstRow = 0;
    for (let index = 0; index < this.metadata.row_groups.length; index++) {
      const rowCount = Number(this.metadata.row_groups[index]!.num_rows);
      if (rowCount > 0) yield await this.readRowGroup(index, firstRow, rowCount);
      firstRow += rowCount;
    }
  }

  async close(): Promise<void> {
    await this.handle.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private async readRowGroup(
    index: number,
    firstRow: number,
    rowCount: number,
  ): Promise<ParquetRowGroup> {
    try {
      const columns = await this.decode(this.columns, firstRow, rowCount);
      return { index, firstRow, rowCount, columns };
    } catch (error) {
      if (error instanceof ParquetInputError) throw error;
      throw await this.blameColumn(index, firstRow, rowCount, error as Error);
    }
  }

  /** A decoding error does not say which column broke: decode each alone to name it. */
  private async blameColumn(
    index: number,
    firstRow: number,
    rowCount: number,
    error: Error,
  ): Promise<ParquetInputError> {
    for (const column of this.columns) {
      try {
        await this.decode([column], firstRow, rowCount);
      } catch (columnError) {
        return new ParquetInputError(
          this.file,
          `cannot be decoded, the file is truncated or corrupt (${(columnError as Error).message})`,
          column.name,
          index,
        );
      }
    }
    return new ParquetInputError(
      this.file,
      `cannot be decoded (${error.message})`,
      undefined,
      index,
    );
  }

  private async decode(
    columns: readonly ResolvedColumn[],
    firstRow: number,
    rowCount: number,
  ): Promise<unknown[][]> {
    const { parquetRead } = await loadHyparquet();
    const values = columns.map(() => new Array<unknown>(rowCount).fill(null));
    const position = new Map(columns.map((column, i) => [column.name, i]));
    await parquetRead({
      file: this.buffer,
      metadata: this.metadata,
      columns: columns.map((column) => column.name),
      rowStart: firstRow,
      rowEnd: firstRow + rowCount,
      compressors: await parquetDecompressors(),
      parsers: TEXT_PARSERS,
      onChunk: (chunk) => {
        const i = position.get(chunk.columnName)!;
        const convert = columns[i]!.convert;
        const target = values[i]!;
        const from = Math.max(chunk.rowStart, firstRow);
        const to = Math.min(chunk.rowEnd, firstRow + rowCount);
        for (let row = from; row < to; row++) {
          const value: unknown = chunk.columnData[row - chunk.rowStart];
          target[row - firstRow] = value === undefined || value === null ? null : convert(value);
        }
      },
    });
    return values;
  }
}

interface ResolvedColumn {
  name: string;
  kind: ParquetColumnKind;
  convert: (value: unknown) => unknown;
}

const identity = (value: unknown): unknown => value;

/** Dates and timestamps as text PostgreSQL parses exactly (a JS Date would drop microseconds). */
const TEXT_PARSERS = {
  dateFromDays: (days: number): string => new Date(days * 86_400_000).toISOString().slice(0, 10),
  timestampFromMilliseconds: (millis: bigint): string => isoFromMicros(millis * 1000n),
  timestampFromMicroseconds: (micros: bigint): string => isoFromMicros(micros),
  timestampFromNanoseconds: (nanos: bigint): string => isoFromMicros(floorDiv(nanos, 1000n)),
};

function floorDiv(a: bigint, b: bigint): bigint {
  const quotient = a / b;
  return a % b < 0n ? quotient - 1n : quotient;
}

/** `2020-12-24T13:12:53.538505Z` from microseconds since the epoch. */
export function isoFromMicros(micros: bigint): string {
  const millis = floorDiv(micros, 1000n);
  const extraMicros = micros - millis * 1000n;
  const iso = new Date(Number(millis)).toISOString();
  return `${iso.slice(0, -1)}${extraMicros.toString().padStart(3, '0')}Z`;
}

function resolveColumns(
  file: string,
  metadata: FileMetaData,
  expected: readonly ExpectedColumn[],
): ResolvedColumn[] {
  const topLevel = topLevelElements(metadata.schema);
  return expected.map(({ name, kinds }) => {
    const element = topLevel.get(name);
    if (!element) {
      const present = [...topLevel.keys()].join(', ');
      throw new ParquetInputError(file, `is missing (the file has: ${present})`, name);
    }
    const kind = kindOfElement(element);
    const wanted = kinds.join(' or ');
    if (typeof kind !== 'string') {
      throw new ParquetInputError(
        file,
        `has unsupported type ${kind.unsupported}, expected ${wanted}`,
        name,
      );
    }
    if (!kinds.includes(kind)) {
      throw new ParquetInputError(
        file,
        `has type ${describeElement(element)} (${kind}), expected ${wanted}`,
        name,
      );
    }
    return { name, kind, convert: converterFor(file, name, kind, element) };
  });
}

function converterFor(
  file: string,
  name: string,
  kind: ParquetColumnKind,
  element: SchemaElement,
): (value: unknown) => unknown {
  if (kind !== 'decimal') return identity;
  const precision = element.precision ?? 0;
  if (precision > MAX_EXACT_DECIMAL_PRECISION) {
    throw new ParquetInputError(
      file,
      `is ${describeElement(element)}: decimals wider than ${MAX_EXACT_DECIMAL_PRECISION} digits cannot be read exactly`,
      name,
    );
  }
  // hyparquet gives the nearest double; with ≤ 15 digits, toFixed(scale) restores the exact decimal.
  const scale = element.scale ?? 0;
  return (value) => (value as number).toFixed(scale);
}

function topLevelElements(schema: readonly SchemaElement[]): Map<string, SchemaElement> {
  const elements = new Map<string, SchemaElement>();
  // schema[0] is the root; walk its direct children, skipping each nested group's descendants.
  let index = 1;
  for (let child = 0; child < (schema[0]?.num_children ?? 0) && index < schema.length; child++) {
    const element = schema[index]!;
    elements.set(element.name, element);
    index += 1 + descendantCount(schema, index);
  }
  return elements;
}

function descendantCount(schema: readonly SchemaElement[], index: number): number {
  let count = 0;
  let next = index + 1;
  for (let child = 0; child < (schema[index]?.num_children ?? 0); child++) {
    const size = 1 + descendantCount(schema, next);
    count += size;
    next += size;
  }
  return count;
}

function fileBuffer(handle: FileHandle): Promise<AsyncBuffer> {
  return handle.stat().then(({ size }) => ({
    byteLength: size,
    async slice(start: number, end = size): Promise<ArrayBuffer> {
      const bytes = new Uint8Array(end - start);
      const { bytesRead } = await handle.read(bytes, 0, bytes.length, start);
      return bytes.buffer.slice(0, bytesRead);
    },
  }));
}

/** Tells "not Parquet at all" from "a Parquet file cut short" before the footer parser gets a go. */
async function checkMagic(file: string, buffer: AsyncBuffer): Promise<void> {
  const decoder = new TextDecoder('latin1');
  const head = decoder.decode(await buffer.slice(0, Math.min(4, buffer.byteLength)));
  if (head !== MAGIC) {
    throw new ParquetInputError(file, 'is not a Parquet file (it does not start with "PAR1")');
  }
  const tail = decoder.decode(await buffer.slice(Math.max(0, buffer.byteLength - 4)));
  if (buffer.byteLength < SMALLEST_FILE || tail !== MAGIC) {
    throw new ParquetInputError(
      file,
      `is truncated: it starts as Parquet but does not end with the "PAR1" footer (${buffer.byteLength} bytes)`,
    );
  }
}
