#!/usr/bin/env bash
# Loads one night of supplier files with psql only (the operator's process; no Node):
#
#   apps/warehouse/sql/load-supplier.sh <WAREHOUSE_SOURCE_DIR>/supplier/YYYYMMDD
#
# Connects with WAREHOUSE_LOAD_DATABASE_URL when set (e.g. with sslmode=verify-full&sslrootcert=...),
# otherwise with libpq's own PGHOST/PGUSER/PGDATABASE/PGSSLMODE/... and ~/.pgpass; no password is
# ever put on a command line. Lists the night's .tbl / .tbl.N / .tbl.gz parts, checksums them,
# counts their lines, then runs load-supplier.sql (one transaction). A failure is recorded in
# warehouse.load_runs with its reason. Exit: 0 loaded or skipped, 1 failed, 2 usage, 3 another
# supplier load in progress.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
psql=("${PSQL:-psql}" -X -q -v ON_ERROR_STOP=1)
if [ -n "${WAREHOUSE_LOAD_DATABASE_URL:-}" ]; then psql+=(-d "$WAREHOUSE_LOAD_DATABASE_URL"); fi
trigger=${WAREHOUSE_TRIGGER:-operator}
started_at=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ $# -ne 1 ]; then
  echo "usage: $0 <WAREHOUSE_SOURCE_DIR>/supplier/YYYYMMDD" >&2
  exit 2
fi
folder=${1%/}
night=$(basename "$folder")

# Records a failed run (outside the aborted transaction) and exits 1.
fail() {
  local reason=$1 files=${2:-[]} content=${3:-}
  echo "supplier $night: failed, nothing loaded: $reason" >&2
  "${psql[@]}" -v night="$night" -v trigger="$trigger" -v started_at="$started_at" \
    -v reason="$reason" -v files="$files" -v content="$content" <<'SQL' >/dev/null
SET ROLE warehouse_load;
INSERT INTO warehouse.load_runs (job, delivery, process, trigger, outcome, content_sha256, files,
  error, started_at)
VALUES ('supplier', to_date(:'night', 'YYYYMMDD'), 'psql', :'trigger', 'failed',
  nullif(:'content', ''), :'files'::jsonb, :'reason', :'started_at');
SQL
  exit 1
}

if ! [[ $night =~ ^[0-9]{8}$ ]] || ! date -u -d "$night" >/dev/null 2>&1; then
  echo "the folder must be a night named YYYYMMDD, got $night" >&2
  exit 2
fi
[ -d "$folder" ] || fail "no delivery $night: $folder does not exist"
folder=$(cd "$folder" && pwd)

parts=()
for path in "$folder"/*; do
  name=$(basename "$path")
  if [[ $name =~ \.parquet$ ]]; then
    fail "$name: Parquet parts are read by the service (npm run warehouse -- load supplier), not by psql"
  fi
  if [[ $name =~ \.tbl(\.[0-9]+)?(\.gz)?$ ]]; then parts+=("$path"); fi
done
[ ${#parts[@]} -gt 0 ] || fail "delivery $night is empty: $folder holds no .tbl, .tbl.N or .tbl.gz files"

columns="s_suppkey, s_name, s_address, s_nationkey, s_phone, s_acctbal, s_comment"
text_columns="s_name, s_address, s_phone, s_comment"
files_json="["
hashes=()
rows_read=0
: >"$work/parts.sql"
for path in "${parts[@]}"; do
  name=$(basename "$path")
  if [[ $path =~ [\'\"\$\`\\] ]]; then fail "$name: the path $path holds a quote, \$, \` or \\; rename the folder"; fi
  [ -r "$path" ] && [ -f "$path" ] || fail "$name: cannot read ($path)"
  read_part="cat"
  if [[ $name == *.gz ]]; then read_part="gzip -dc"; fi
  bytes=$(stat -L -c %s "$path")
  sha=$(sha256sum "$path" | cut -c1-64)
  # One pass: lines (a last line without newline counts) and the first line's fields.
  if ! counts=$($read_part "$path" 2>"$work/read.err" | awk -F'|' 'NR == 1 { nf = NF; last = substr($0, length($0)) } END { print NR, nf + 0, last }'); then
    fail "$name: truncated or corrupt gzip ($(head -c 300 "$work/read.err"))" "[]" ""
  fi
  if [ -s "$work/read.err" ]; then
    fail "$name: truncated or corrupt gzip ($(head -c 300 "$work/read.err" | tr '\n' ' '))"
  fi
  read -r lines fields last <<<"$counts"
  if [ "$fields" -eq 7 ]; then
    copy_columns=$columns not_null=$text_columns
  elif [ "$fields" -eq 8 ] && [ "$last" = "|" ]; then
    copy_columns="$columns, s_trailing" not_null="$text_columns, s_trailing"
  else
    fail "$name, line 1: expected 7 fields separated by \"|\" (optionally ending with \"|\"), found $fields"
  fi
  source="'$path'"
  if [[ $name == *.gz ]]; then source="program 'gzip -dc \"$path\"'"; fi
  {
    echo "\\echo part $name"
    echo "\\copy warehouse.supplier_stage ($copy_columns) from $source with (format csv, delimiter '|', quote E'\\x01', force_not_null ($not_null), freeze)"
  } >>"$work/parts.sql"
  rows_read=$((rows_read + lines))
  hashes+=("$sha")
  [ "$files_json" = "[" ] || files_json+=","
  files_json+="{\"name\":\"$name\",\"bytes\":$bytes,\"sha256\":\"$sha\"}"
done
files_json+="]"
# Same as the service: SHA-256 over the parts' SHA-256s, sorted, one per line.
content=$(printf '%s\n' "${hashes[@]}" | sort | sha256sum | cut -c1-64)

set +e
"${psql[@]}" -v night="$night" -v parts_file="$work/parts.sql" -v files="$files_json" \
  -v content_sha256="$content" -v rows_read="$rows_read" -v started_at="$started_at" \
  -v trigger="$trigger" -f "$here/load-supplier.sql" >"$work/out" 2>"$work/err"
status=$?
set -e
grep -v '^part ' "$work/out" || true
if [ $status -eq 0 ]; then exit 0; fi

error=$(grep -m1 'ERROR:' "$work/err" | sed 's/.*ERROR:  //' || true)
context=$(grep -m1 'CONTEXT:' "$work/err" | sed 's/.*CONTEXT:  //' || true)
[ -n "$error" ] || error=$(head -c 500 "$work/err" | tr '\n' ' ')
if [[ $error == *"already in progress"* ]]; then
  echo "$error" >&2
  exit 3
fi
part=$(grep '^part ' "$work/out" | tail -1 | cut -c6-)
# COPY's context "COPY supplier_stage, line 2, column s_suppkey: ..." names the place in the part.
if [[ $context =~ ^COPY\ supplier_stage,\ line\ ([0-9]+)(,\ column\ ([a-z_]+))? ]]; then
  where="$part, line ${BASH_REMATCH[1]}"
  column=${BASH_REMATCH[3]}
  # A not-null violation names its column in the message, not in the context.
  if [ -z "$column" ] && [[ $error =~ ^null\ value\ in\ column\ \"([a-z_]+)\" ]]; then column=${BASH_REMATCH[1]}; fi
  if [ -n "$column" ]; then where+=", column $column"; fi
  error="$where: $error"
fi
fail "$error" "$files_json" "$content"
