#!/usr/bin/env bash
# Benchmark of the reminder pass at a consultancy's size (issue 11: a pass over 10,000
# organisations under 1 s on SQLite and PostgreSQL). Builds in release, seeds N small
# organisations (`pmark demo --orgs N`: an admin each, certifications spread over the two-year
# cycle, one in twenty with an open incident), then times:
#   1. `pmark remind --dry-run`   planning only (renewal reminders + incident digests)
#   2. `pmark remind`             the first pass of the day: plan, render and enqueue everything
#                                 due, then send it all through the file transport
#   3. `pmark remind`             a second pass: everything is already enqueued
# `pmark remind` prints how long planning/enqueueing and sending took on standard error.
#
# Usage: scripts/bench-reminders.sh [organisations, default 10000]
# Uses SQLite by default; set BENCH_DATABASE_URL=postgres://… (an empty database) for PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
orgs="${1:-10000}"

cargo build --release --quiet
bin="${PMARK_BIN:-$PWD/target/release/pmark}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export PMARK__DATA__DIR="$work/data"
export PMARK__DATABASE__URL="${BENCH_DATABASE_URL:-sqlite://$work/bench.db?mode=rwc}"
export PMARK__MAIL__FILE_DIR="$work/mail"
export PMARK__LOG__LEVEL=warn

"$bin" demo --orgs "$orgs" | grep -v "^admins:"
echo "--- dry run (plan only)"
/usr/bin/time -f "%e s wall, %M KB max RSS" "$bin" remind --dry-run >"$work/plan.txt"
echo "$(grep -c . "$work/plan.txt") lines planned"
echo "--- first pass (enqueue and send)"
/usr/bin/time -f "%e s wall, %M KB max RSS" "$bin" remind
echo "$(find "$work/mail" -name '*.eml' | wc -l) messages written by the file transport"
echo "--- second pass (nothing new)"
/usr/bin/time -f "%e s wall, %M KB max RSS" "$bin" remind
