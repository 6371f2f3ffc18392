#!/usr/bin/env bash
# Load benchmark of the controls page and the dashboard next to /healthz, on loopback.
# Builds in release, seeds an organisation with the full catalog, two evidence links on every
# control and five PMS years of duty records, starts the server, signs in, and loads each page
# with wrk from a second process (64 connections). Prints requests/s and p99 per page.
#
# Usage: scripts/bench.sh [seconds per page, default 15]
# Uses SQLite by default; set BENCH_DATABASE_URL=postgres://… to measure PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-15}"
connections=64
port=18787

if ! command -v wrk >/dev/null 2>&1; then
  apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk; }
fi
cargo build --release --quiet
bin="$PWD/target/release/pmark"

work="$(mktemp -d)"
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

export PMARK__DATA__DIR="$work/data"
export PMARK__DATABASE__URL="${BENCH_DATABASE_URL:-sqlite://$work/bench.db?mode=rwc}"
# SQLite: each pooled connection has its own thread; 32 measured best for these pages (8: -30%).
export PMARK__DATABASE__MAX_CONNECTIONS="${BENCH_POOL:-32}"
export PMARK__SERVER__BIND="127.0.0.1:$port"
export PMARK__LOG__LEVEL=warn
password="benchmark password 1"

echo "$password" | "$bin" user create --email bench@example.jp --name Bench --org-name "ベンチマーク用" --password-stdin >/dev/null
org=$("$bin" demo --email bench@example.jp --org-name "負荷試験株式会社" --years 5 | tee /dev/stderr | sed -n 's/.*(id \([0-9]*\)).*/\1/p')

"$bin" serve >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

jar="$work/cookies"
csrf=$(curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$port/login" | sed -n 's/.*name="csrf_token" value="\([0-9a-f]*\)".*/\1/p' | head -n 1)
curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf_token=$csrf" --data-urlencode "email=bench@example.jp" \
  --data-urlencode "password=$password" "http://127.0.0.1:$port/login"
cookie="pmark_session=$(awk '$6 == "pmark_session" { print $7 }' "$jar")"
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "http://127.0.0.1:$port/orgs/$org/controls")
[ "$status" = 200 ] || { echo "sign-in failed (controls page answered $status)"; exit 1; }

run() {
  local name="$1" path="$2" header="$3"
  local out
  out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency ${header:+-H "$header"} "http://127.0.0.1:$port$path")
  local rps p99
  rps=$(echo "$out" | awk '/Requests\/sec/ { print $2 }')
  p99=$(echo "$out" | awk '$1 == "99%" { print $2 }')
  printf '%-12s %-28s %10s req/s   p99 %s\n' "$name" "$path" "$rps" "$p99"
  echo "$rps" >"$work/$name.rps"
}

echo "== wrk -t2 -c$connections -d${duration}s, $(nproc) cores, database: ${PMARK__DATABASE__URL%%:*}"
run healthz /healthz ""
run controls "/orgs/$org/controls" "Cookie: $cookie"
run dashboard "/orgs/$org" "Cookie: $cookie"
for page in controls dashboard; do
  awk -v p="$(cat "$work/$page.rps")" -v h="$(cat "$work/healthz.rps")" -v n="$page" \
    'BEGIN { printf "%-12s %.0f%% of /healthz throughput\n", n, 100 * p / h }'
done
