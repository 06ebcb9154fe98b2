import type { SchemaElement } from './esm-types';
import type { ParquetWriter } from './esm-types';
import { parquetCodecName, parquetCompressors, type ParquetCodec } from './codecs';
import type { ParquetColumnKind } from './kinds';

/** A column to write. Values: see {@link ParquetFileWriter.writeRow}. */
export interface ParquetColumnSpec {
  name: string;
  kind: ParquetColumnKind;
  /** For decimals: total digits (at most 18, stored as INT64) and digits after the point. */
  precision?: number;
  scale?: number;
  /** Defaults to true (OPTIONAL), as most producers write. */
  nullable?: boolean;
}

export interface ParquetWriteOptions {
  codec?: ParquetCodec;
  /** Rows per row group; a group is encoded and flushed to disk when it is full. */
  rowGroupSize?: number;
}

const DEFAULT_ROW_GROUP_SIZE = 100_000;

/**
 * Writes a Parquet file row group by row group, for the data generators: only the current group
 * is held in memory. Timestamps are written as INT64 TIMESTAMP(MICROS, UTC): hyparquet-writer has no
 * INT96 encoder (INT96 is deprecated in the format; the reader accepts both).
 */
export class ParquetFileWriter {
  private buffered: unknown[][];
  private bufferedRows = 0;

  private constructor(
    private readonly writer: ParquetWriter,
    private readonly specs: readonly ParquetColumnSpec[],
    private readonly rowGroupSize: number,
  ) {
    this.buffered = specs.map(() => []);
  }

  static async create(
    file: string,
    columns: readonly ParquetColumnSpec[],
    options: ParquetWriteOptions = {},
  ): Promise<ParquetFileWriter> {
    const { ParquetWriter: Writer, fileWriter } = await import('hyparquet-writer');
    const writer = new Writer({
      writer: fileWriter(file),
      schema: schemaFor(columns),
      codec: parquetCodecName(options.codec ?? 'snappy'),
      compressors: await parquetCompressors(),
    });
    return new ParquetFileWriter(writer, columns, options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE);
  }

  /**
   * One row, values in column order: string, boolean, number (int32, float32, float64), bigint or
   * number (int64), `YYYY-MM-DD` (date), Date or bigint microseconds (timestamp), a decimal
   * string such as `-12.30` (decimal, exact), or null.
   */
  writeRow(values: readonly unknown[]): void {
    for (let i = 0; i < this.specs.length; i++)
      this.buffered[i]!.push(toPhysical(this.specs[i]!, values[i]));
    if (++this.bufferedRows >= this.rowGroupSize) this.flushRowGroup();
  }

  async close(): Promise<void> {
    this.flushRowGroup();
    await this.writer.finish();
  }

  private flushRowGroup(): void {
    if (this.bufferedRows === 0) return;
    void this.writer.write({
      columnData: this.specs.map((spec, i) => ({ name: spec.name, data: this.buffered[i]! })),
      rowGroupSize: this.bufferedRows,
    });
    this.buffered = this.specs.map(() => []);
    this.bufferedRows = 0;
  }
}

function schemaFor(columns: readonly ParquetColumnSpec[]): SchemaElement[] {
  return [
    { name: 'schema', num_children: columns.length, repetition_type: 'REQUIRED' },
    ...columns.map((spec) => ({
      name: spec.name,
      repetition_type: spec.nullable === false ? ('REQUIRED' as const) : ('OPTIONAL' as const),
      ...physicalType(spec),
    })),
  ];
}

function physicalType(spec: ParquetColumnSpec): Omit<SchemaElement, 'name'> {
  switch (spec.kind) {
    case 'string':
      return { type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } };
    case 'boolean':
      return { type: 'BOOLEAN' };
    case 'int32':
      return { type: 'INT32' };
    case 'int64':
      return { type: 'INT64' };
    case 'float32':
      return { type: 'FLOAT' };
    case 'float64':
      return { type: 'DOUBLE' };
    case 'date':
      return { type: 'INT32', converted_type: 'DATE', logical_type: { type: 'DATE' } };
    case 'timestamp':
      return {
        type: 'INT64',
        converted_type: 'TIMESTAMP_MICROS',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
      };
    case 'decimal': {
      const precision = spec.precision ?? 18;
      if (precision > 18)
        throw new Error(`column ${spec.name}: decimals are written as INT64, at most 18 digits`);
      const scale = spec.scale ?? 0;
      return {
        type: 'INT64',
        converted_type: 'DECIMAL',
        precision,
        scale,
        logical_type: { type: 'DECIMAL', precision, scale },
      };
    }
  }
}

function toPhysical(spec: ParquetColumnSpec, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (spec.kind) {
    case 'date':
      return Date.parse(`${value as string}T00:00:00Z`) / 86_400_000;
    case 'timestamp':
      return value instanceof Date ? BigInt(value.getTime()) * 1000n : (value as bigint);
    case 'int64':
      return BigInt(value as number | bigint);
    case 'decimal':
      return unscaledDecimal(spec, value as string);
    default:
      return value;
  }
}

/** `-12.3` at scale 2 → -1230n, exactly (no float on the way). */
export function unscaledDecimal(spec: ParquetColumnSpec, text: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d*))?$/.exec(text.trim());
  const scale = spec.scale ?? 0;
  if (!match || (match[3]?.length ?? 0) > scale) {
    throw new Error(
      `column ${spec.name}: "${text}" is not a decimal with at most ${scale} decimals`,
    );
  }
  const digits = BigInt(`${match[2]}${(match[3] ?? '').padEnd(scale, '0')}`);
  return match[1] === '-' ? -digits : digits;
}
