import type { SqlCheck } from '../loads/checks';
import { MARKETING_STAGE } from './marketing-stage';

const KEY_MATCH = `daily.start_date = staged.start_date AND daily.country = staged.country
  AND daily.os_name = staged.os_name AND daily.name = staged.name`;

/**
 * Moves the staged delivery into the raw table in two statements (runs of the job never overlap:
 * the runner holds the job's lock). First, keys already there are replaced only by a row whose
 * dataplatform_inserted_at is newer; an older or equal re-delivery changes nothing. $1: run id.
 */
export const REPLACE_NEWER_MARKETING_ROWS = `
  UPDATE warehouse.marketing_daily daily SET
    end_date = staged.end_date,
    dataplatform_inserted_at = staged.dataplatform_inserted_at,
    value = staged.value::integer,
    load_id = $1,
    has_subtrackers = staged.has_subtrackers,
    year_week = staged.year_week,
    token = staged.token
  FROM ${MARKETING_STAGE} staged
  WHERE ${KEY_MATCH} AND daily.dataplatform_inserted_at < staged.dataplatform_inserted_at`;

/**
 * Then new keys, in key order (sequential inserts into the key's B-tree instead of random ones:
 * files arrive in any order); a plain INSERT, several times faster than ON CONFLICT's speculative
 * insertion for a large first delivery. $1: run id.
 */
export const INSERT_NEW_MARKETING_ROWS = `
  INSERT INTO warehouse.marketing_daily (start_date, end_date, dataplatform_inserted_at, value,
    load_id, has_subtrackers, country, os_name, name, year_week, token)
  SELECT start_date, end_date, dataplatform_inserted_at, value::integer,
    $1, has_subtrackers, country, os_name, name, year_week, token
  FROM ${MARKETING_STAGE} staged
  WHERE NOT EXISTS (SELECT 1 FROM warehouse.marketing_daily daily WHERE ${KEY_MATCH})
  ORDER BY start_date, country, os_name, name`;

/**
 * Per country (not the `ALL` aggregate) and ISO week (Monday start), from the `os_name = 'all'`
 * rows only (ios + android + all would count users twice): the Organic and total new users.
 */
const WEEKLY_TOTALS = `
  SELECT date_trunc('week', start_date)::date AS week_start, country,
    coalesce(sum(value) FILTER (WHERE name = 'Organic'), 0) AS organic,
    sum(value) AS total
  FROM warehouse.marketing_daily
  WHERE os_name = 'all' AND country <> 'ALL'
  GROUP BY 1, 2`;

/**
 * Recomputes the whole weekly table inside the run's transaction: readers keep seeing the
 * previous table (MVCC) until the run commits, and a failed gate rolls this back with the rest.
 * The spine is every week from the first to the last week of the data, for each country; the
 * window is the week and the three before it BY DATE (RANGE over week_start), so it crosses ISO
 * year boundaries (2020-W53 → 2021-W01) like any other week. $1: computed_at.
 */
export const CLEAR_ORGANIC_SHARE_WEEKLY = 'DELETE FROM warehouse.organic_share_weekly';

/** See {@link CLEAR_ORGANIC_SHARE_WEEKLY}; run right after it. */
export const COMPUTE_ORGANIC_SHARE_WEEKLY = `INSERT INTO warehouse.organic_share_weekly (year, week, week_start, country, organic_users_p4w,
     total_users_p4w, share_organic_p4w, weeks_with_data_p4w, computed_at)
   WITH weekly AS (${WEEKLY_TOTALS}),
   spine AS (
     SELECT week::date AS week_start, countries.country
     FROM (SELECT min(week_start) AS first_week, max(week_start) AS last_week FROM weekly) bounds,
       generate_series(bounds.first_week, bounds.last_week, interval '1 week') AS week,
       (SELECT DISTINCT country FROM weekly) countries),
   filled AS (
     SELECT spine.week_start, spine.country,
       coalesce(weekly.organic, 0) AS organic, coalesce(weekly.total, 0) AS total,
       weekly.country IS NOT NULL AS has_data
     FROM spine LEFT JOIN weekly USING (week_start, country)),
   windowed AS (
     SELECT week_start, country,
       sum(organic) OVER p4w AS organic_p4w,
       sum(total) OVER p4w AS total_p4w,
       count(*) FILTER (WHERE has_data) OVER p4w AS weeks_with_data
     FROM filled
     WINDOW p4w AS (PARTITION BY country ORDER BY week_start
       RANGE BETWEEN interval '21 days' PRECEDING AND CURRENT ROW))
   SELECT extract(isoyear FROM week_start)::smallint, extract(week FROM week_start)::smallint,
     week_start, country, organic_p4w, total_p4w,
     round(organic_p4w::numeric / nullif(total_p4w, 0), 6), weeks_with_data, $1
   FROM windowed`;

/**
 * A warning, not a gate: a week this delivery touched whose total for a country lies more than
 * four standard deviations (at least 10% of the mean, at least 1 user) from the country's mean
 * over the 8 weeks before it, when at least 4 of those weeks have data.
 */
export const WEEKLY_TOTAL_OUTLIER_WARNING: SqlCheck = (() => {
  const outliers = `
    WITH weekly AS (${WEEKLY_TOTALS}),
    recent AS (
      SELECT week_start, country, total,
        round(avg(total) OVER before, 1) AS recent_mean,
        round(stddev_samp(total) OVER before, 1) AS recent_stddev,
        count(*) OVER before AS recent_weeks
      FROM weekly
      WINDOW before AS (PARTITION BY country ORDER BY week_start
        RANGE BETWEEN interval '56 days' PRECEDING AND interval '7 days' PRECEDING)),
    outliers AS (
      SELECT * FROM recent
      WHERE recent_weeks >= 4
        AND abs(total - recent_mean) > 4 * greatest(recent_stddev, 0.1 * recent_mean, 1)
        AND week_start IN (SELECT DISTINCT date_trunc('week', start_date)::date FROM ${MARKETING_STAGE}))`;
  return {
    name: 'weekly_total_within_recent_range',
    detail:
      "a country's weekly total new users lies within 4 standard deviations of its mean over the 8 weeks before (weeks of this delivery)",
    countSql: `${outliers} SELECT count(*) AS figure FROM outliers`,
    sampleSql: `${outliers} SELECT * FROM outliers ORDER BY week_start, country LIMIT 5`,
    severity: 'warning',
  };
})();
