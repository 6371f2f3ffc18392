#!/usr/bin/env bash
# Times `pmark import people` of a generated HR list (CSV with Japanese headers, nested
# departments, every column filled) into an empty organisation: the dry run, the first import
# (everyone new) and a re-import with 10 % changed. Release build.
#
# Usage: scripts/bench-import.sh [people, default 5000]
# SQLite by default; BENCH_DATABASE_URL=postgres://user@host:port/any_db measures PostgreSQL on a
# fresh database created for the run and dropped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
people="${1:-5000}"
cargo build --release --quiet
bin="$PWD/target/release/pmark"
work="$(mktemp -d)"
pg_admin=""
pg_db=""
cleanup() {
  if [ -n "$pg_db" ]; then psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
if [ -n "${BENCH_DATABASE_URL:-}" ]; then
  pg_admin="$BENCH_DATABASE_URL"
  pg_db="pmark_bench_import_$$"
  psql -q "$pg_admin" -c "CREATE DATABASE $pg_db" >/dev/null
  export PMARK__DATABASE__URL="${BENCH_DATABASE_URL%/*}/$pg_db"
else
  export PMARK__DATABASE__URL="sqlite://$work/bench.db?mode=rwc"
fi
export PMARK__DATA__DIR="$work/data"
export PMARK__LOG__LEVEL=warn

list() { # $1: the share of people whose department changes (0 or 10)
  python3 - "$people" "$1" <<'PY'
import sys
n, changed = int(sys.argv[1]), int(sys.argv[2])
print("社員番号,氏名,フリガナ,所属,雇用区分,入社日,メールアドレス,役割")
kinds = ["正社員", "契約社員", "パート", "派遣社員"]
for i in range(1, n + 1):
    dept = f"事業本部{i % 5 + 1}/第{(i + (1 if i % 100 < changed else 0)) % 20 + 1}課"
    kana = "".join("アイウエオカキクケコ"[int(c)] for c in str(i))
    print(f"{i:05d},従業者 {i},ジュウギョウシャ {kana},{dept},{kinds[i % 4]},2015/4/1,p{i}@example.jp,{'部門責任者' if i % 50 == 0 else ''}")
PY
}
list 0 >"$work/first.csv"
list 10 >"$work/again.csv"
echo "bench password 1" | "$bin" user create --email bench@example.jp --name Bench --org-name "取込試験株式会社" --password-stdin >/dev/null
org=1
run() { # label, args…
  local label="$1"; shift
  local start end
  start=$(date +%s.%N)
  "$bin" import people --org "$org" "$@" >"$work/out.txt"
  end=$(date +%s.%N)
  printf '%-28s %6.2f s   %s\n' "$label" "$(echo "$end - $start" | bc)" "$(tail -n 1 "$work/out.txt")"
}
if [ -n "${BENCH_DATABASE_URL:-}" ]; then database=postgres; else database=sqlite; fi
echo "== pmark import people, $people people, database: $database"
run "dry run (all new)" "$work/first.csv" --dry-run
run "first import (all new)" "$work/first.csv"
run "re-import (10% moved)" "$work/again.csv"
