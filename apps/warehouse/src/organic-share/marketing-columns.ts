import type { ExpectedColumn } from '../parquet';

/**
 * The daily marketing export's columns and the Parquet kinds each may have (see
 * data/organic-share/SOURCE.md). `value` is float32 in the source; int32/int64/float64 are
 * accepted too since the checks judge the values, not the producer's choice of width.
 */
export const MARKETING_COLUMNS = [
  { name: 'name', kinds: ['string'] },
  { name: 'value', kinds: ['float32', 'float64', 'int32', 'int64'] },
  { name: 'start_date', kinds: ['date'] },
  { name: 'end_date', kinds: ['date'] },
  { name: 'year_week', kinds: ['string'] },
  { name: 'has_subtrackers', kinds: ['boolean'] },
  { name: 'token', kinds: ['string'] },
  { name: 'dataplatform_inserted_at', kinds: ['timestamp'] },
  { name: 'country', kinds: ['string'] },
  { name: 'os_name', kinds: ['string'] },
] as const satisfies readonly ExpectedColumn[];

export type MarketingColumn = (typeof MARKETING_COLUMNS)[number]['name'];

export const MARKETING_COLUMN_NAMES: readonly MarketingColumn[] = MARKETING_COLUMNS.map(
  (c) => c.name,
);
