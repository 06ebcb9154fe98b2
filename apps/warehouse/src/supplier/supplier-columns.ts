/** The TPC-H supplier columns (spec 4.2.3), in file order. */
export const SUPPLIER_COLUMNS = [
  's_suppkey',
  's_name',
  's_address',
  's_nationkey',
  's_phone',
  's_acctbal',
  's_comment',
] as const;

export type SupplierColumn = (typeof SUPPLIER_COLUMNS)[number];

/** Text columns: an empty field is an empty string, never NULL. */
export const SUPPLIER_TEXT_COLUMNS: SupplierColumn[] = [
  's_name',
  's_address',
  's_phone',
  's_comment',
];

/** dbgen's part files: `supplier.tbl`, `supplier.tbl.3` (dbgen -C/-S), either gzipped; or Parquet. */
export const SUPPLIER_FILE = /\.(tbl(\.\d+)?(\.gz)?|parquet)$/;

/**
 * The COPY options for pipe-delimited files, shared with the psql script: CSV parsing with a quote
 * character that never occurs (so nothing is unquoted or unescaped, unlike the text format's
 * backslashes), and text columns that keep an empty field as ''. FREEZE (the load truncates the
 * stage in its own transaction first): rows are written frozen, so the checks' scan does not
 * rewrite every page to set hint bits.
 */
export function copyStatement(withTrailingField: boolean, { freeze = true } = {}): string {
  const columns = [...SUPPLIER_COLUMNS, ...(withTrailingField ? ['s_trailing'] : [])];
  const notNull = [...SUPPLIER_TEXT_COLUMNS, ...(withTrailingField ? ['s_trailing'] : [])];
  return `COPY warehouse.supplier_stage (${columns.join(', ')}) FROM STDIN
    WITH (FORMAT csv, DELIMITER '|', QUOTE E'\\x01', FORCE_NOT_NULL (${notNull.join(', ')})${freeze ? ', FREEZE' : ''})`;
}
