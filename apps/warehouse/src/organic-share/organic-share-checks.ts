import type { SqlCheck } from '../loads/checks';
import { MARKETING_STAGE } from './marketing-stage';

const NATURAL_KEY = 'start_date, country, os_name, name';
const SAMPLE_COLUMNS = `source_file AS file, source_row AS row, ${NATURAL_KEY}, value, end_date, year_week, dataplatform_inserted_at`;

/** A SQL string literal list, for the configured value sets (validated at start-up as plain words). */
const sqlList = (values: readonly string[]) =>
  values.map((value) => `'${value.replace(/'/g, "''")}'`).join(', ');

export interface MarketingValueSets {
  countries: readonly string[];
  osNames: readonly string[];
}

/** A rule on one staged row; `violation` is a SQL condition true for an offending row. */
interface RowRule {
  name: string;
  detail: string;
  violation: string;
}

/**
 * The delivery's row rules. NULL never passes a rule: `IS NOT TRUE` counts it as a violation.
 */
function rowRules(sets: MarketingValueSets): RowRule[] {
  return [
    {
      name: 'not_null',
      detail:
        'name, value, start_date, end_date, year_week, dataplatform_inserted_at, country and os_name are present',
      violation: `name IS NULL OR value IS NULL OR start_date IS NULL OR end_date IS NULL OR year_week IS NULL
        OR dataplatform_inserted_at IS NULL OR country IS NULL OR os_name IS NULL`,
    },
    {
      name: 'year_week_format',
      detail: 'year_week matches YYYY_WW (week 01 to 53)',
      violation: `(year_week ~ '^[0-9]{4}_(0[1-9]|[1-4][0-9]|5[0-3])$') IS NOT TRUE`,
    },
    {
      name: 'year_week_is_iso_week_of_start_date',
      detail: 'year_week equals the ISO year and week of start_date',
      violation: `(year_week = to_char(start_date, 'IYYY_IW')) IS NOT TRUE`,
    },
    {
      name: 'end_date_equals_start_date',
      detail: 'end_date = start_date (one day per row)',
      violation: '(end_date = start_date) IS NOT TRUE',
    },
    {
      name: 'value_whole_non_negative',
      detail: 'value is a whole number of users, 0 to 2147483647',
      violation: `(value >= 0 AND value <= 2147483647 AND value = trunc(value) AND value <> 'NaN') IS NOT TRUE`,
    },
    {
      name: 'country_in_configured_set',
      detail: `country is one of ${sets.countries.join(', ')}, or the ALL aggregate`,
      violation: `(country IN (${sqlList([...sets.countries, 'ALL'])})) IS NOT TRUE`,
    },
    {
      name: 'os_name_in_configured_set',
      detail: `os_name is one of ${sets.osNames.join(', ')}, or the all aggregate`,
      violation: `(os_name IN (${sqlList([...sets.osNames, 'all'])})) IS NOT TRUE`,
    },
  ];
}

const RULE_COUNTS = 'pg_temp.marketing_stage_rule_counts';

export interface StageChecks {
  /** Counts every row rule's offending rows in ONE scan of the stage (run it before the checks). */
  countSql: string;
  checks: SqlCheck[];
}

/**
 * The delivery's data-quality gates, on the stage, each recorded with its offending count and,
 * on failure, sample rows with their file and row. The row rules share one scan of the stage
 * (a 10M-row delivery is read once, not once per rule); the key rule groups by the key.
 */
export function marketingStageChecks(sets: MarketingValueSets): StageChecks {
  const rules = rowRules(sets);
  const counts = rules.map((rule) => `count(*) FILTER (WHERE ${rule.violation}) AS ${rule.name}`);
  return {
    countSql: `CREATE TEMPORARY TABLE marketing_stage_rule_counts ON COMMIT DROP AS
      SELECT ${counts.join(',\n        ')} FROM ${MARKETING_STAGE}`,
    checks: [
      ...rules.map((rule) => ({
        name: rule.name,
        detail: rule.detail,
        countSql: `SELECT ${rule.name} AS figure FROM ${RULE_COUNTS}`,
        sampleSql: `SELECT ${SAMPLE_COLUMNS} FROM ${MARKETING_STAGE} WHERE ${rule.violation}
          ORDER BY source_file, source_row LIMIT 5`,
      })),
      {
        name: 'natural_key_unique',
        detail:
          '(start_date, country, os_name, name) is unique within the delivery (figure: rows beyond the first of a key)',
        countSql: `SELECT coalesce(sum(copies - 1), 0) AS figure FROM (
            SELECT count(*) AS copies FROM ${MARKETING_STAGE} GROUP BY ${NATURAL_KEY} HAVING count(*) > 1) duplicated`,
        sampleSql: `SELECT ${SAMPLE_COLUMNS} FROM ${MARKETING_STAGE} WHERE (${NATURAL_KEY}) IN (
            SELECT ${NATURAL_KEY} FROM ${MARKETING_STAGE} GROUP BY ${NATURAL_KEY} HAVING count(*) > 1)
          ORDER BY ${NATURAL_KEY}, source_file, source_row LIMIT 5`,
      },
    ],
  };
}

const WEEKLY = 'warehouse.organic_share_weekly';

/** The (week, country) spine derived again from the raw table, independently of the weekly SQL. */
const SPINE_FROM_RAW = `
  WITH source AS (
    SELECT DISTINCT date_trunc('week', start_date)::date AS week_start, country
    FROM warehouse.marketing_daily WHERE os_name = 'all' AND country <> 'ALL'),
  spine AS (
    SELECT week::date AS week_start, countries.country
    FROM (SELECT min(week_start) AS first_week, max(week_start) AS last_week FROM source) bounds,
      generate_series(bounds.first_week, bounds.last_week, interval '1 week') AS week,
      (SELECT DISTINCT country FROM source) countries),
  missing AS (
    SELECT week_start, country, 'missing' AS problem FROM spine
    EXCEPT SELECT week_start, country, 'missing' FROM ${WEEKLY}),
  extra AS (
    SELECT week_start, country, 'not in the spine' AS problem FROM ${WEEKLY}
    EXCEPT SELECT week_start, country, 'not in the spine' FROM spine),
  duplicated AS (
    SELECT week_start, country, 'duplicated' AS problem FROM ${WEEKLY}
    GROUP BY week_start, country HAVING count(*) > 1),
  offending AS (SELECT * FROM missing UNION ALL SELECT * FROM extra UNION ALL SELECT * FROM duplicated)`;

const RESULT_ROW_VIOLATION = `
  (share_organic_p4w BETWEEN 0 AND 1 OR (share_organic_p4w IS NULL AND total_users_p4w = 0)) IS NOT TRUE
  OR (share_organic_p4w IS NULL) <> (total_users_p4w = 0)
  OR (organic_users_p4w <= total_users_p4w) IS NOT TRUE
  OR (weeks_with_data_p4w BETWEEN 0 AND 4) IS NOT TRUE`;

/** Gates on the recomputed weekly table, before it is published (same transaction). */
export const WEEKLY_RESULT_CHECKS: SqlCheck[] = [
  {
    name: 'result_one_row_per_week_and_country',
    detail:
      'the weekly table has exactly one row per (ISO week, country) of the spine: every week from the first to the last week of the data, for every country',
    countSql: `${SPINE_FROM_RAW} SELECT count(*) AS figure FROM offending`,
    sampleSql: `${SPINE_FROM_RAW} SELECT * FROM offending ORDER BY week_start, country LIMIT 5`,
  },
  {
    name: 'result_share_in_0_1',
    detail:
      'share_organic_p4w is in [0, 1] and NULL exactly when total_users_p4w is 0; organic ≤ total; weeks_with_data_p4w in 0..4',
    countSql: `SELECT count(*) AS figure FROM ${WEEKLY} WHERE ${RESULT_ROW_VIOLATION}`,
    sampleSql: `SELECT * FROM ${WEEKLY} WHERE ${RESULT_ROW_VIOLATION} ORDER BY country, week_start LIMIT 5`,
  },
];
