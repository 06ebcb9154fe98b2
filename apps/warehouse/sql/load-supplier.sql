-- The supplier load for an operator's machine with only psql (process 2; the service's job is
-- process 1). Run it through load-supplier.sh, which lists the night's parts, checksums them and
-- writes the \copy lines this script includes. One transaction: any error aborts it
-- (ON_ERROR_STOP), so supplier_data is exactly as before and psql exits non-zero.
--
-- Variables (psql -v): night (YYYYMMDD), parts_file (the \copy lines), files (JSON: name, bytes,
-- sha256), content_sha256, rows_read (lines in the parts), started_at, trigger.
\set ON_ERROR_STOP on
\set QUIET on

BEGIN;
-- The same privileges as the service's load, whatever the login.
SET LOCAL ROLE warehouse_load;
-- As the service (WAREHOUSE_LOAD_WORK_MEM): the night's primary key is built by sorting the
-- stage, and a duplicate-key count sorts it too; in memory, not spilled to disk.
SET LOCAL work_mem = '256MB';
SET LOCAL maintenance_work_mem = '256MB';

-- One supplier load at a time, whichever process runs it: the service takes the same lock.
DO $$
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('warehouse:job:supplier')) THEN
    RAISE EXCEPTION 'a supplier run is already in progress; this one was refused';
  END IF;
END $$;

-- The same night with the same content is not loaded twice.
SELECT id AS same_as, id IS NOT NULL AS already_loaded
FROM (SELECT max(id) AS id FROM warehouse.load_runs
      WHERE job = 'supplier' AND delivery = to_date(:'night', 'YYYYMMDD')
        AND content_sha256 = :'content_sha256' AND outcome = 'loaded') loaded \gset
\if :already_loaded
  INSERT INTO warehouse.load_runs (job, delivery, process, trigger, outcome, content_sha256,
    same_as, files, started_at)
  VALUES ('supplier', to_date(:'night', 'YYYYMMDD'), 'psql', :'trigger', 'skipped',
    :'content_sha256', :same_as, :'files'::jsonb, :'started_at')
  RETURNING 'supplier ' || :'night' || ': run #' || id || ' skipped: same content as run #' || same_as AS result \gset
  COMMIT;
  \echo :result
  \quit
\endif

SELECT nextval(pg_get_serial_sequence('warehouse.load_runs', 'id')) AS load_id \gset

SELECT clock_timestamp() AS copy_started \gset
TRUNCATE warehouse.supplier_stage;
-- This load's id and timestamp become the stage's defaults (the \copy column lists leave them to
-- them), with a CHECK on the id that proves the partition bound (as the service does).
SELECT warehouse.prepare_supplier_stage(:load_id) \gset
\i :parts_file
SELECT clock_timestamp() AS copy_ended \gset

CREATE TEMPORARY TABLE supplier_checks (name text, detail text, figure bigint) ON COMMIT DROP;
INSERT INTO supplier_checks (name, detail, figure)
SELECT 'rows_staged_equal_rows_read',
  :rows_read || ' lines read from the files; the figure is rows staged minus lines read',
  count(*) - :rows_read
FROM warehouse.supplier_stage;
-- checks:begin (generated from src/supplier/supplier-checks.ts; a test keeps them equal)
INSERT INTO supplier_checks (name, detail, figure)
SELECT checks.name, checks.detail, checks.figure
FROM (SELECT
  count(*) FILTER (WHERE s_suppkey IS NULL) AS f0,
  count(*) FILTER (WHERE (s_suppkey >= 1) IS NOT TRUE) AS f1,
  count(*) FILTER (WHERE (s_name = 'Supplier#' || lpad(s_suppkey::text, 9, '0')) IS NOT TRUE) AS f2,
  count(*) FILTER (WHERE (s_address LIKE '__________%' AND s_address NOT LIKE '_________________________________________%') IS NOT TRUE) AS f3,
  count(*) FILTER (WHERE (s_nationkey BETWEEN 0 AND 24) IS NOT TRUE) AS f4,
  count(*) FILTER (WHERE (s_phone LIKE '__-___-___-____' AND replace(s_phone, '-', '') LIKE '____________'
      AND s_phone !~ '[^-0-9]' AND left(s_phone, 2) = (s_nationkey + 10)::text) IS NOT TRUE) AS f5,
  count(*) FILTER (WHERE (s_acctbal BETWEEN -999.99 AND 9999.99 AND scale(s_acctbal) <= 2) IS NOT TRUE) AS f6,
  count(*) FILTER (WHERE (s_comment LIKE '_________________________%' AND s_comment NOT LIKE '_____________________________________________________________________________________________________%') IS NOT TRUE) AS f7,
  count(*) FILTER (WHERE s_trailing <> '') AS f8
FROM warehouse.supplier_stage) figures
CROSS JOIN LATERAL (VALUES
  ('key_not_null', 's_suppkey is present on every row', f0),
  ('key_positive', 's_suppkey is at least 1', f1),
  ('name_matches_key', 's_name is ''Supplier#'' followed by s_suppkey zero-padded to 9 digits', f2),
  ('address_length', 's_address is 10 to 40 characters long', f3),
  ('nationkey_in_range', 's_nationkey between 0 and 24', f4),
  ('phone_pattern', 's_phone looks like CC-ddd-ddd-dddd with CC = s_nationkey + 10', f5),
  ('acctbal_in_range', 's_acctbal between -999.99 and 9999.99 with at most two decimals', f6),
  ('comment_length', 's_comment is 25 to 100 characters long', f7),
  ('no_field_after_trailing_pipe', 'nothing follows the trailing "|" of a line', f8)
) AS checks (name, detail, figure);
-- checks:end

DO $$
DECLARE
  failed text;
BEGIN
  SELECT string_agg(name || ' (' || figure || ': ' || detail || ')', '; ') INTO failed
  FROM supplier_checks WHERE figure <> 0;
  IF failed IS NOT NULL THEN
    RAISE EXCEPTION 'data-quality check failed: %', failed;
  END IF;
END $$;
SELECT clock_timestamp() AS checks_ended \gset

SELECT :rows_read + figure AS rows_loaded FROM supplier_checks
WHERE name = 'rows_staged_equal_rows_read' \gset

-- The stage itself becomes the night's partition, made and attached by the same function as the
-- service's (src/supplier/supplier.job.ts).
SELECT warehouse.publish_supplier_stage(:load_id) \gset
SELECT clock_timestamp() AS published \gset
-- The night's primary key, built by the publish, proves the keys unique (a duplicate fails the
-- publish with the key_unique check's message and figure).
INSERT INTO supplier_checks (name, detail, figure)
VALUES ('key_unique', 's_suppkey is unique within the load', 0);

INSERT INTO warehouse.load_runs (id, job, delivery, process, trigger, outcome, content_sha256,
  files, rows_read, rows_loaded, phase_ms, checks, started_at)
SELECT :load_id, 'supplier', to_date(:'night', 'YYYYMMDD'), 'psql', :'trigger', 'loaded',
  :'content_sha256', :'files'::jsonb, :rows_read, :rows_loaded,
  jsonb_build_object(
    'copy', round(extract(epoch FROM :'copy_ended'::timestamptz - :'copy_started'::timestamptz) * 1000),
    'checks', round(extract(epoch FROM :'checks_ended'::timestamptz - :'copy_ended'::timestamptz) * 1000),
    'publish', round(extract(epoch FROM :'published'::timestamptz - :'checks_ended'::timestamptz) * 1000)),
  jsonb_agg(jsonb_build_object('name', name, 'passed', figure = 0, 'figure', figure,
    'detail', detail, 'severity', 'error') ORDER BY ordinal),
  :'started_at'
FROM (SELECT *, row_number() OVER () AS ordinal FROM supplier_checks) checks;

COMMIT;
SELECT format('supplier %s: run #%s loaded %s rows', :'night', :load_id, :rows_loaded) AS result \gset
\echo :result
