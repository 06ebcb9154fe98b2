import { parseArgs } from 'node:util';
import { resolveUserPath } from '@des/shared';
import { ParquetCodec } from '../parquet';
import { GenerateOptions, SupplierFormat } from '../supplier/generator/supplier-files';

const FORMATS: SupplierFormat[] = ['tbl', 'tbl.gz', 'parquet'];
const CODECS: ParquetCodec[] = ['snappy', 'zstd', 'gzip', 'uncompressed'];

/** `generate supplier --scale SF --out DIR [...]`; throws a message naming the bad option. */
export function parseGenerateArgs(args: string[]): GenerateOptions {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      scale: { type: 'string' },
      out: { type: 'string' },
      format: { type: 'string', default: 'tbl' },
      parts: { type: 'string', default: '1' },
      'trailing-pipe': { type: 'boolean', default: false },
      seed: { type: 'string', default: '1' },
      codec: { type: 'string', default: 'snappy' },
    },
  });
  if (positionals.length !== 1 || positionals[0] !== 'supplier') {
    throw new Error('generate knows one table: generate supplier --scale SF --out DIR');
  }
  const scale = Number(values.scale);
  if (values.scale === undefined || !(scale > 0) || scale > 100_000) {
    throw new Error('--scale must be a number above 0 (1 = 10,000 suppliers), e.g. --scale 10');
  }
  if (!values.out) throw new Error('--out DIR is required (the night folder to write)');
  if (!FORMATS.includes(values.format as SupplierFormat)) {
    throw new Error(`--format must be one of ${FORMATS.join(', ')}`);
  }
  if (!CODECS.includes(values.codec as ParquetCodec)) {
    throw new Error(`--codec must be one of ${CODECS.join(', ')}`);
  }
  const parts = Number(values.parts);
  if (!Number.isInteger(parts) || parts < 1) throw new Error('--parts must be a whole number ≥ 1');
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error('--seed must be a whole number');
  return {
    scale,
    out: resolveUserPath(values.out),
    format: values.format as SupplierFormat,
    parts,
    trailingPipe: values['trailing-pipe'],
    seed,
    codec: values.codec as ParquetCodec,
  };
}
