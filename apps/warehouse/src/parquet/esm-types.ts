// hyparquet and hyparquet-writer are ES modules; this CommonJS app imports their types in import mode
// (and their code with dynamic import()).
export type { AsyncBuffer, FileMetaData, SchemaElement } from 'hyparquet' with {
  'resolution-mode': 'import',
};
export type { ParquetWriter } from 'hyparquet-writer' with { 'resolution-mode': 'import' };
export type Hyparquet = typeof import('hyparquet', { with: { 'resolution-mode': 'import' } });
