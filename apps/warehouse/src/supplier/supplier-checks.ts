import { AggregateCheck, aggregateChecksQuery } from '../loads/checks';

export const SUPPLIER_STAGE = 'warehouse.supplier_stage';

/** Stage rows numbered in COPY order (a freshly truncated heap is filled in order). */
const NUMBERED = `(SELECT row_number() OVER (ORDER BY ctid) AS row_no, * FROM ${SUPPLIER_STAGE}) numbered`;

/** A rule on one stage row: counted in the shared pass, sampled (with row numbers) on failure. */
function rowRule(name: string, detail: string, violation: string): AggregateCheck {
  return {
    name,
    detail,
    figure: `count(*) FILTER (WHERE ${violation})`,
    sampleSql: `SELECT * FROM ${NUMBERED} WHERE ${violation} ORDER BY row_no LIMIT 5`,
  };
}

/**
 * `column` is `min` to `max` characters long, as two LIKEs on `_` (one character each, walked at
 * most `max + 1` characters in): measured 1.5-2x cheaper than counting every character with
 * char_length() in a UTF-8 database.
 */
const charLengthBetween = (column: string, min: number, max: number) =>
  `(${column} LIKE '${'_'.repeat(min)}%' AND ${column} NOT LIKE '${'_'.repeat(max + 1)}%')`;

/**
 * The supplier data-quality checks (TPC-H 4.2.3 value rules) on the stage, each recorded with the
 * number of offending rows. NULL never passes: `IS NOT TRUE` counts it as a violation. The psql
 * script runs the very same queries (sql/load-supplier.sql).
 *
 * One pass over the stage: plain filtered counts, which PostgreSQL computes as a parallel
 * aggregate (the leader and its workers each take part of the stage). Key uniqueness is left to
 * the primary key built at publish (KEY_UNIQUE_CHECK).
 */
export const SUPPLIER_ROW_CHECKS: AggregateCheck[] = [
  // The stage's NOT NULL makes COPY refuse an empty key at its line; the figure records it.
  rowRule('key_not_null', 's_suppkey is present on every row', 's_suppkey IS NULL'),
  rowRule('key_positive', 's_suppkey is at least 1', '(s_suppkey >= 1) IS NOT TRUE'),
  rowRule(
    'name_matches_key',
    "s_name is 'Supplier#' followed by s_suppkey zero-padded to 9 digits",
    `(s_name = 'Supplier#' || lpad(s_suppkey::text, 9, '0')) IS NOT TRUE`,
  ),
  rowRule(
    'address_length',
    's_address is 10 to 40 characters long',
    `${charLengthBetween('s_address', 10, 40)} IS NOT TRUE`,
  ),
  rowRule(
    'nationkey_in_range',
    's_nationkey between 0 and 24',
    '(s_nationkey BETWEEN 0 AND 24) IS NOT TRUE',
  ),
  rowRule(
    'phone_pattern',
    's_phone looks like CC-ddd-ddd-dddd with CC = s_nationkey + 10',
    // 15 characters with dashes at 3, 7 and 11 and no other dash (12 characters without them),
    // nothing but digits and dashes, and the first two are the text of nationkey + 10. Cheap
    // tests only: this is less than half the cost of translate() or an anchored pattern, which
    // walk every character with the full machinery (measured on 1M rows).
    `(s_phone LIKE '__-___-___-____' AND replace(s_phone, '-', '') LIKE '____________'
      AND s_phone !~ '[^-0-9]' AND left(s_phone, 2) = (s_nationkey + 10)::text) IS NOT TRUE`,
  ),
  rowRule(
    'acctbal_in_range',
    's_acctbal between -999.99 and 9999.99 with at most two decimals',
    '(s_acctbal BETWEEN -999.99 AND 9999.99 AND scale(s_acctbal) <= 2) IS NOT TRUE',
  ),
  rowRule(
    'comment_length',
    's_comment is 25 to 100 characters long',
    `${charLengthBetween('s_comment', 25, 100)} IS NOT TRUE`,
  ),
  rowRule(
    'no_field_after_trailing_pipe',
    'nothing follows the trailing "|" of a line',
    "s_trailing <> ''",
  ),
];

/**
 * Key uniqueness is proved by the night's primary key (s_suppkey, load_id), built when the stage
 * is published: no DISTINCT pass over the stage. When that build finds a duplicate, this check
 * gives the figure and the offending rows (publish_supplier_stage raises the same message).
 */
export const KEY_UNIQUE_CHECK: AggregateCheck = {
  name: 'key_unique',
  detail: 's_suppkey is unique within the load',
  figure: 'count(s_suppkey) - count(DISTINCT s_suppkey)',
  sampleSql: `SELECT * FROM ${NUMBERED} WHERE s_suppkey IN (
      SELECT s_suppkey FROM ${SUPPLIER_STAGE} GROUP BY s_suppkey HAVING count(*) > 1)
    ORDER BY s_suppkey, row_no LIMIT 5`,
};

/** Rows COPY put in the stage against lines counted in the files (another reader of the bytes). */
export const rowsStagedCheck = (linesRead: number): AggregateCheck => ({
  name: 'rows_staged_equal_rows_read',
  detail: `${linesRead} lines read from the files; the figure is rows staged minus lines read`,
  figure: `count(*) - ${linesRead}`,
});

/**
 * The checks as the psql script runs them: the same pass, its figures unpivoted into the
 * script's temporary `supplier_checks` table. The block between `-- checks:begin` and
 * `-- checks:end` in sql/load-supplier.sql must equal this text (a test compares them).
 */
export function psqlCheckStatement(): string {
  return [
    'INSERT INTO supplier_checks (name, detail, figure)',
    'SELECT checks.name, checks.detail, checks.figure',
    `FROM (${aggregateChecksQuery(SUPPLIER_STAGE, SUPPLIER_ROW_CHECKS)}) figures`,
    'CROSS JOIN LATERAL (VALUES',
    SUPPLIER_ROW_CHECKS.map(
      (check, i) => `  ('${check.name}', '${check.detail.replaceAll("'", "''")}', f${i})`,
    ).join(',\n'),
    ') AS checks (name, detail, figure);',
  ].join('\n');
}
