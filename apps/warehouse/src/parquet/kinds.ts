import type { SchemaElement } from './esm-types';

/**
 * The logical column types the warehouse reads and writes. Each maps to what a consumer gets:
 * string/boolean/int32/float32/float64 as JS values, int64 as bigint, and the types whose exactness
 * matters to PostgreSQL as text it parses itself: date as `YYYY-MM-DD`, timestamp as ISO 8601 UTC
 * with microseconds, decimal as an exact decimal string.
 */
export type ParquetColumnKind =
  | 'string'
  | 'boolean'
  | 'int32'
  | 'int64'
  | 'float32'
  | 'float64'
  | 'date'
  | 'timestamp'
  | 'decimal';

/** A double holds every decimal of up to 15 significant digits exactly through a round trip. */
export const MAX_EXACT_DECIMAL_PRECISION = 15;

/** The logical kind of a Parquet leaf column, or a description of why it is none of ours. */
export function kindOfElement(element: SchemaElement): ParquetColumnKind | { unsupported: string } {
  const converted = element.converted_type;
  const logical = element.logical_type?.type;
  if (element.num_children) return { unsupported: 'a nested group' };
  if (element.repetition_type === 'REPEATED') return { unsupported: 'a repeated (list) column' };
  if (converted === 'DECIMAL' || logical === 'DECIMAL') return 'decimal';
  switch (element.type) {
    case 'BOOLEAN':
      return 'boolean';
    case 'INT32':
      if (converted === 'DATE' || logical === 'DATE') return 'date';
      if (converted === undefined || ['INT_8', 'INT_16', 'INT_32'].includes(converted))
        return 'int32';
      return { unsupported: `INT32 annotated ${converted}` };
    case 'INT64':
      if (
        logical === 'TIMESTAMP' ||
        converted === 'TIMESTAMP_MILLIS' ||
        converted === 'TIMESTAMP_MICROS'
      ) {
        return 'timestamp';
      }
      if (converted === undefined || converted === 'INT_64') return 'int64';
      return { unsupported: `INT64 annotated ${converted}` };
    case 'INT96':
      return 'timestamp';
    case 'FLOAT':
      return 'float32';
    case 'DOUBLE':
      return 'float64';
    case 'BYTE_ARRAY':
      if (converted === 'UTF8' || logical === 'STRING') return 'string';
      return { unsupported: 'BYTE_ARRAY without a string annotation (binary)' };
    default:
      return { unsupported: element.type ?? 'no physical type' };
  }
}

/** A human description of a leaf column's Parquet type, for error messages. */
export function describeElement(element: SchemaElement): string {
  const annotation = element.logical_type?.type ?? element.converted_type;
  const decimal =
    element.precision === undefined ? '' : `(${element.precision},${element.scale ?? 0})`;
  return annotation ? `${element.type} ${annotation}${decimal}` : `${element.type}`;
}
