#!/usr/bin/env bash
# Benchmark of the audit-prep report (issue: HTML and XLSX under 1 s, PDF under 3 s).
# Builds in release, seeds an organisation with the full catalog, five PMS years of duty records
# and 2,000 incidents (with their reports and reviews), then times `pmark report` for each format
# over five years with hyperfine (several runs; the median is what counts). Each run is the whole
# command: start, the report's queries, building the model, rendering, writing the file.
#
# Usage: scripts/bench-report.sh [runs per format, default 7]
# Uses SQLite by default; set BENCH_DATABASE_URL=postgres://… to measure PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-7}"

if ! command -v hyperfine >/dev/null 2>&1; then
  apt-get install -y -qq hyperfine >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq hyperfine; }
fi
cargo build --release --quiet
bin="$PWD/target/release/pmark"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export PMARK__DATA__DIR="$work/data"
export PMARK__DATABASE__URL="${BENCH_DATABASE_URL:-sqlite://$work/bench.db?mode=rwc}"
export PMARK__LOG__LEVEL=warn

echo "benchmark password 1" | "$bin" user create --email bench@example.jp --name Bench --password-stdin >/dev/null
"$bin" demo --email bench@example.jp --org-name "報告書ベンチ株式会社" --years 5 --incidents 2000
from="$(date -d '5 years ago' +%F)"
to="$(date +%F)"
args=(--org "報告書ベンチ株式会社" --from "$from" --to "$to")

hyperfine --runs "$runs" --warmup 1 --export-markdown "$work/report.md" \
  -n html "$bin report ${args[*]} --format html --out $work/r.html" \
  -n xlsx "$bin report ${args[*]} --format xlsx --out $work/r.xlsx" \
  -n csv "$bin report ${args[*]} --format csv --out $work/csv" \
  -n pdf "$bin report ${args[*]} --format pdf --out $work/r.pdf"
cat "$work/report.md"
ls -l "$work"/r.* | awk '{print $5, $9}'
