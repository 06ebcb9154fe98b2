/**
 * The transaction file format (`import-transactions`, `generate --out`): CSV with this header, one
 * row per line item. Rows of one transaction share its `external_ref` and repeat its member,
 * purchase time, status and completion time. Members are named by `membership_id` (which must
 * name exactly one person), items by `item_id` (a live catalogue item; its current price and
 * weight are recorded). Times are ISO 8601; `completed_at` is empty unless `status` is completed.
 */
export const TRANSACTION_COLUMNS = [
  'external_ref',
  'membership_id',
  'purchased_at',
  'status',
  'completed_at',
  'item_id',
  'quantity',
] as const;

export const TRANSACTIONS_HEADER = TRANSACTION_COLUMNS.join(',');

/** One CSV row; values never hold a comma, quote or line break (refs and ids are plain). */
export const transactionRow = (values: readonly (string | number)[]): string =>
  `${values.join(',')}\n`;
