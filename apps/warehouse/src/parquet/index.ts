export { type ParquetCodec } from './codecs';
export { ParquetInputError } from './errors';
export { type ParquetColumnKind } from './kinds';
export {
  ParquetFileReader,
  isoFromMicros,
  type ExpectedColumn,
  type ParquetRowGroup,
} from './reader';
export { ParquetFileWriter, type ParquetColumnSpec, type ParquetWriteOptions } from './writer';
