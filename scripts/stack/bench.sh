#!/usr/bin/env bash
# HTTP load through the load balancer (`make stack-bench`; docs/benchmarks.md,
# "HTTP load through the load balancer"): bankload's transfers mix next to
# pgbench TPC-B on the same PostgreSQL, the read mix and the hot-account mix,
# at 8, 32, 64 and 128 clients, on the local stack (HAProxy, three
# instances, primary + streaming replica; started if it is not running).
# CPU is reported by process tree: PostgreSQL (primary and replica, every
# backend, WAL sender and receiver), HAProxy, the three instances, bankload,
# pgbench. Output (text, Markdown summary, JSON, SVG) goes to
# $BENCH_OUT/<commit>/ (default /tmp/bankapp-bench). BENCH_SECONDS per step
# (default 15), BENCH_CLIENTS, BENCH_USERS, BENCH_MIXES ("transfers read hot").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bash scripts/stack.sh up >/dev/null
eval "$(bash scripts/stack.sh env)"
secs=${BENCH_SECONDS:-15}
out=${BENCH_OUT:-/tmp/bankapp-bench}/$STACK_REV
mkdir -p "$out"
common=(-url "$STACK_URL" -users "${BENCH_USERS:-200}" -c "${BENCH_CLIENTS:-8,32,64,128}" -d "${secs}s" -pids "$STACK_PIDS")
[ -n "$STACK_PG_PIDS" ] && common+=(-proc "postgres=$STACK_PG_PIDS")
[ -n "$STACK_LB_PID" ] && common+=(-proc "haproxy=$STACK_LB_PID")
check=(-db-url "$STACK_DATABASE_URL" -bankapp "$STACK_BIN/bankapp")
export PGBENCH=$STACK_PGBIN/pgbench
for mix in ${BENCH_MIXES:-transfers read hot}; do
  extra=()
  [ "$mix" = read ] || extra=("${check[@]}" -pgbench-url "$STACK_PGBENCH_URL")
  echo "== $mix mix, bankapp $STACK_REV, $(date -u +%H:%M:%SZ), load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out/$mix.txt"
  "$STACK_BIN/bankload" "${common[@]}" "${extra[@]}" -mix "$mix" -label "(bankapp $STACK_REV)" \
    -svg "$out/$mix.svg" -json "$out/$mix.json" -md "$out/$mix.md" | tee -a "$out/$mix.txt"
done
echo "stack-bench: output in $out" >&2
