import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { ParquetCodec, ParquetColumnSpec, ParquetFileWriter } from '../../parquet';
import { SupplierRow, supplierCount, supplierRows } from './supplier-rows';

export type SupplierFormat = 'tbl' | 'tbl.gz' | 'parquet';

export interface GenerateOptions {
  scale: number;
  /** The night's folder the parts are written into (created if missing). */
  out: string;
  format?: SupplierFormat;
  parts?: number;
  /** End every line with `|`, as dbgen does. */
  trailingPipe?: boolean;
  seed?: number;
  /** Parquet compression. */
  codec?: ParquetCodec;
  /** Called every 100,000 rows. */
  onProgress?: (rows: number) => void;
}

/** The Parquet columns a supplier part has (and the loader expects). */
export const SUPPLIER_PARQUET_COLUMNS: ParquetColumnSpec[] = [
  { name: 's_suppkey', kind: 'int32', nullable: false },
  { name: 's_name', kind: 'string' },
  { name: 's_address', kind: 'string' },
  { name: 's_nationkey', kind: 'int32' },
  { name: 's_phone', kind: 'string' },
  { name: 's_acctbal', kind: 'decimal', precision: 15, scale: 2 },
  { name: 's_comment', kind: 'string' },
];

/** dbgen's names: `supplier.tbl` alone, `supplier.tbl.1`… when split; Parquet `supplier.1.parquet`. */
export function partFileName(format: SupplierFormat, part: number, parts: number): string {
  if (format === 'parquet') return parts === 1 ? 'supplier.parquet' : `supplier.${part}.parquet`;
  const base = parts === 1 ? 'supplier.tbl' : `supplier.tbl.${part}`;
  return format === 'tbl.gz' ? `${base}.gz` : base;
}

interface PartSink {
  write(row: SupplierRow): Promise<void> | void;
  close(): Promise<void>;
}

/**
 * Writes a supplier night: SF × 10,000 rows over `parts` files, streaming (one row, one buffered
 * chunk or one Parquet row group in memory at a time). Returns the files written.
 */
export async function generateSupplierFiles(options: GenerateOptions): Promise<string[]> {
  const format = options.format ?? 'tbl';
  const parts = options.parts ?? 1;
  const rows = supplierCount(options.scale);
  if (!Number.isInteger(parts) || parts < 1 || parts > Math.max(1, rows)) {
    throw new Error(`parts must be a whole number from 1 to ${Math.max(1, rows)}`);
  }
  await mkdir(options.out, { recursive: true });
  const files: string[] = [];
  let part = 0;
  let sink: PartSink | undefined;
  let partEnd = 0;
  let written = 0;
  for (const row of supplierRows(options.scale, options.seed)) {
    if (row.s_suppkey > partEnd) {
      await sink?.close();
      part += 1;
      partEnd = Math.floor((rows * part) / parts);
      const file = join(options.out, partFileName(format, part, parts));
      files.push(file);
      sink =
        format === 'parquet'
          ? await parquetSink(file, options.codec)
          : tblSink(file, format === 'tbl.gz', options.trailingPipe ?? false);
    }
    await sink!.write(row);
    written += 1;
    if (written % 100_000 === 0) options.onProgress?.(written);
  }
  await sink?.close();
  return files;
}

/** A `.tbl` part: lines gathered into ~64 KB chunks, written with back-pressure. */
function tblSink(file: string, gzip: boolean, trailingPipe: boolean): PartSink {
  const output = createWriteStream(file);
  const compressor = gzip ? createGzip() : undefined;
  compressor?.pipe(output);
  const target: Writable = compressor ?? output;
  const end = trailingPipe ? '|\n' : '\n';
  let chunk = '';
  const flush = async () => {
    if (!chunk) return;
    const ok = target.write(chunk);
    chunk = '';
    if (!ok) await once(target, 'drain');
  };
  return {
    write: (row) => {
      chunk += `${row.s_suppkey}|${row.s_name}|${row.s_address}|${row.s_nationkey}|${row.s_phone}|${row.s_acctbal}|${row.s_comment}${end}`;
      return chunk.length >= 65_536 ? flush() : undefined;
    },
    close: async () => {
      await flush();
      target.end();
      await finished(output);
    },
  };
}

async function parquetSink(file: string, codec: ParquetCodec | undefined): Promise<PartSink> {
  const writer = await ParquetFileWriter.create(file, SUPPLIER_PARQUET_COLUMNS, { codec });
  return {
    write: (row) =>
      writer.writeRow([
        row.s_suppkey,
        row.s_name,
        row.s_address,
        row.s_nationkey,
        row.s_phone,
        row.s_acctbal,
        row.s_comment,
      ]),
    close: () => writer.close(),
  };
}
