#!/usr/bin/env bash
# Load benchmark of every main page next to /healthz, on loopback.
# Builds in release, seeds an organisation with `pmark demo --years 5 --incidents 2000` (full
# catalog, two evidence links on every control, five PMS years of duty records, 2,000 incidents
# with their reports and reviews), starts the server, signs in, and loads each page with wrk from a
# second process (64 connections). Prints a table: requests/s, p99, the share of /healthz
# throughput, and the answers that were not 2xx/3xx or never came (wrk's errors and timeouts);
# then the server's memory: resident size idle (after start and sign-in), after the run, and its
# peak (VmHWM).
#
# Usage: scripts/bench.sh [seconds per page, default 15]
# Uses SQLite by default; set BENCH_DATABASE_URL=postgres://user@host:port/any_db to measure
# PostgreSQL: a fresh database is created on that server for the run and dropped afterwards.
# BENCH_POOL sets the pool size (default 32), BENCH_INCIDENTS the number of sample incidents,
# BENCH_BIN a pmark binary to measure instead of building this checkout (an older build).
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-15}"
connections=64
port=18787
incidents="${BENCH_INCIDENTS:-2000}"

if ! command -v wrk >/dev/null 2>&1; then
  apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk; }
fi
if [ -n "${BENCH_BIN:-}" ]; then
  bin="$BENCH_BIN"
else
  cargo build --release --quiet
  bin="$PWD/target/release/pmark"
fi

work="$(mktemp -d)"
server=""
pg_admin=""
pg_db=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; fi
  if [ -n "$pg_db" ]; then psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ -n "${BENCH_DATABASE_URL:-}" ]; then
  # A fresh database on that server: the URL's path is only used to connect for CREATE DATABASE.
  pg_admin="$BENCH_DATABASE_URL"
  pg_db="pmark_bench_$$"
  psql -q "$pg_admin" -c "CREATE DATABASE $pg_db" >/dev/null
  database_url="${BENCH_DATABASE_URL%/*}/$pg_db"
  query() { psql -qtA "$database_url" -c "$1"; }
else
  database_url="sqlite://$work/bench.db?mode=rwc"
  query() { sqlite3 "$work/bench.db" "$1"; }
fi

export PMARK__DATA__DIR="$work/data"
export PMARK__DATABASE__URL="$database_url"
# SQLite: each pooled connection has its own thread; 32 measured best for these pages (8: -30%).
export PMARK__DATABASE__MAX_CONNECTIONS="${BENCH_POOL:-32}"
export PMARK__SERVER__BIND="127.0.0.1:$port"
export PMARK__LOG__LEVEL=warn
export PMARK__REMINDERS__INTERVAL_MINUTES=0
password="benchmark password 1"

echo "$password" | "$bin" user create --email bench@example.jp --name Bench --org-name "ベンチマーク用" --password-stdin >/dev/null
org=$("$bin" demo --email bench@example.jp --org-name "負荷試験株式会社" --years 5 --incidents "$incidents" --people "${BENCH_PEOPLE:-5000}" \
  | tee /dev/stderr | sed -n 's/.*(id \([0-9]*\)).*/\1/p')
# The control flagged by the most incidents, and the newest incident.
control=$(query "SELECT control_id FROM control_checks WHERE organisation_id = $org GROUP BY control_id ORDER BY COUNT(*) DESC, control_id LIMIT 1")
incident=$(query "SELECT id FROM incidents WHERE organisation_id = $org ORDER BY discovered_on DESC, id DESC LIMIT 1")
flagged=$(query "SELECT COUNT(*) FROM control_checks WHERE organisation_id = $org AND control_id = '$control'")
# The latest training (5,000 people by default: BENCH_PEOPLE).
training=$(query "SELECT id FROM trainings WHERE organisation_id = $org ORDER BY starts_on DESC, id DESC LIMIT 1")

"$bin" serve >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

jar="$work/cookies"
csrf=$(curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$port/login" | sed -n 's/.*name="csrf_token" value="\([0-9a-f]*\)".*/\1/p' | head -n 1)
curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf_token=$csrf" --data-urlencode "email=bench@example.jp" \
  --data-urlencode "password=$password" "http://127.0.0.1:$port/login"
cookie="pmark_session=$(awk '$6 == "pmark_session" { print $7 }' "$jar")"

memory() { awk -v f="$1" '$1 == f":" { printf "%.1f MB", $2 / 1024 }' "/proc/$server/status"; }
sleep 1
idle_rss=$(memory VmRSS)

pages=(
  "healthz /healthz"
  "dashboard /orgs/$org"
  "controls /orgs/$org/controls"
  "control /orgs/$org/controls/$control"
  "incidents /orgs/$org/incidents"
  "incident /orgs/$org/incidents/$incident"
  "calendar /orgs/$org/duties"
  "certification /orgs/$org/certification"
  "actions /orgs/$org/corrective-actions"
  "audit /orgs/$org/audit"
  "mail /orgs/$org/mail"
  "report /orgs/$org/report"
  "people /orgs/$org/people"
  "training /orgs/$org/trainings/$training"
)
for entry in "${pages[@]}"; do
  path="${entry#* }"
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "http://127.0.0.1:$port$path")
  [ "$status" = 200 ] || { echo "$path answered $status, not 200 (signed in?)"; exit 1; }
done

echo "== wrk -t2 -c$connections -d${duration}s, $(nproc) cores, database: ${database_url%%:*}, pool ${PMARK__DATABASE__MAX_CONNECTIONS}," \
  "$incidents incidents, control $control flagged by $flagged"
printf '%-14s %-34s %10s %10s %8s %8s %8s\n' page path "req/s" p99 "share" non-2xx errors
healthz_rps=""
for entry in "${pages[@]}"; do
  name="${entry%% *}"
  path="${entry#* }"
  out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency -H "Cookie: $cookie" "http://127.0.0.1:$port$path")
  rps=$(echo "$out" | awk '/Requests\/sec/ { print $2 }')
  p99=$(echo "$out" | awk '$1 == "99%" { print $2 }')
  bad=$(echo "$out" | awk '/Non-2xx or 3xx/ { print $NF }')
  errors=$(echo "$out" | awk '/Socket errors/ { gsub(",", ""); print $4 + $6 + $8 + $10 }')
  [ -n "$healthz_rps" ] || healthz_rps="$rps"
  share=$(awk -v p="$rps" -v h="$healthz_rps" 'BEGIN { printf "%.0f%%", 100 * p / h }')
  printf '%-14s %-34s %10s %10s %8s %8s %8s\n' "$name" "$path" "$rps" "$p99" "$share" "${bad:-0}" "${errors:-0}"
done
echo "== server memory: idle $idle_rss, after the run $(memory VmRSS), peak (VmHWM) $(memory VmHWM)"
# What the non-2xx answers were: refusals under overload (503) are logged as warnings, failures as errors.
echo "== server log: $(grep -c 'overloaded' "$work/server.log" || true) refused as overloaded (503)," \
  "$(grep -c 'ran past its time' "$work/server.log" || true) abandoned after server.request_timeout_secs (503)," \
  "$(grep -c 'session store failed' "$work/server.log" || true) sessions not loaded (503)," \
  "$(grep -c 'request failed' "$work/server.log" || true) failed (500)"
