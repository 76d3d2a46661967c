#!/usr/bin/env bash
# Store-level benchmark: committed transfers/s through internal/store on
# PostgreSQL at 1, 8, 32 and 64 workers, next to pgbench's built-in TPC-B
# transaction on the same cluster in the same run, with synchronous commit
# and fsync on. Prints a table and writes it to docs/benchmarks.md
# (between the BENCH-STORE markers). BENCH_SECONDS sets each run (default 10).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
secs=${BENCH_SECONDS:-10}
eval "$(PG_DURABLE=1 bash scripts/pg.sh start)"
trap 'bash scripts/pg.sh stop "$BANKAPP_PG_DIR"' EXIT
export TEST_DATABASE_URL
pgurl=${TEST_DATABASE_URL%/postgres*}
"$BANKAPP_PG_BIN/psql" -q "$TEST_DATABASE_URL" -c "CREATE DATABASE pgbench" >/dev/null
"$BANKAPP_PG_BIN/pgbench" -q -i -s "${BENCH_PGBENCH_SCALE:-64}" "$pgurl/pgbench?sslmode=disable" >/dev/null 2>&1

declare -A ours theirs http p50 p99
out=$(go test -run '^$' -bench 'BenchmarkTransfers' -benchtime "${secs}s" -timeout 30m ./internal/ledger/ 2>&1)
echo "$out" | grep -E 'Benchmark|ok|FAIL'
while read -r name _ _ _ rate _; do
  w=${name#*workers=}; w=${w%%-*}
  ours[$w]=$rate
done < <(echo "$out" | grep -E '^BenchmarkTransfers/workers=')
hout=$(go test -run '^$' -bench 'BenchmarkTransfersHTTP' -benchtime "${secs}s" -timeout 30m ./internal/api/ 2>&1)
echo "$hout" | grep -E 'Benchmark|ok|FAIL'
while read -r name _ _ _ a _ b _ c _; do
  w=${name#*clients=}; w=${w%%-*}
  p50[$w]=$a; p99[$w]=$b; http[$w]=$c
done < <(echo "$hout" | grep -E '^BenchmarkTransfersHTTP/clients=')
for c in 1 8 32 64; do
  tps=$("$BANKAPP_PG_BIN/pgbench" -n -c "$c" -j 2 -T "$secs" "$pgurl/pgbench?sslmode=disable" 2>/dev/null | awk '/^tps = /{print $3; exit}')
  theirs[$c]=$tps
done

table="| workers / clients | BankApp transfers/s | pgbench TPC-B tps | ratio |
|---:|---:|---:|---:|"
for c in 1 8 32 64; do
  ratio=$(awk -v a="${ours[$c]:-0}" -v b="${theirs[$c]:-0}" 'BEGIN{ if (b>0) printf "%.2f", a/b; else print "n/a" }')
  table+=$'\n'"| $c | ${ours[$c]:-?} | ${theirs[$c]:-?} | $ratio |"
done
echo "$table"
htable="| clients | transfers/s over HTTP | p50 ms | p99 ms | pgbench TPC-B tps | ratio |
|---:|---:|---:|---:|---:|---:|"
for c in 1 8 32 64; do
  ratio=$(awk -v a="${http[$c]:-0}" -v b="${theirs[$c]:-0}" 'BEGIN{ if (b>0) printf "%.2f", a/b; else print "n/a" }')
  htable+=$'\n'"| $c | ${http[$c]:-?} | ${p50[$c]:-?} | ${p99[$c]:-?} | ${theirs[$c]:-?} | $ratio |"
done
echo "$htable"

doc=docs/benchmarks.md
[ -f "$doc" ] || printf '# Benchmarks\n\nAll figures are from this repository'"'"'s scripts on the 2-core development machine; re-run them to compare.\n' >"$doc"
block="<!-- BENCH-STORE:BEGIN -->
## Store-level transfers vs pgbench TPC-B

\`make bench\` (scripts/bench.sh), run $(date -u +%Y-%m-%d), ${secs} s per point, PostgreSQL $("$BANKAPP_PG_BIN/postgres" --version | awk '{print $3}')
with fsync and synchronous_commit on, pgbench scale ${BENCH_PGBENCH_SCALE:-64} (at least the most clients, as pgbench's manual asks), same cluster, same run.
One BankApp transfer = one transaction: lock both account rows in id order,
insert the transfer and its two postings, update two balances, commit.

$table

### Transfers over HTTP on one instance (group commit on)

\`BenchmarkTransfersHTTP\` (internal/api): real HTTP server and client in one
process, 50 customers, every request a \`POST /api/v1/transfers\` with its own
Idempotency-Key, audit event and idempotency record, same cluster and run as
the pgbench column.

$htable
<!-- BENCH-STORE:END -->"
python3 - "$doc" "$block" <<'PY'
import re, sys
path, block = sys.argv[1], sys.argv[2]
s = open(path).read()
if "<!-- BENCH-STORE:BEGIN -->" in s:
    s = re.sub(r"<!-- BENCH-STORE:BEGIN -->.*?<!-- BENCH-STORE:END -->", lambda m: block, s, flags=re.S)
else:
    s = s.rstrip() + "\n\n" + block + "\n"
open(path, "w").write(s)
PY
