#!/usr/bin/env bash
# make bench: BankApp's throughput as ratios measured in one run (issue 19).
#
# Starts a durable PostgreSQL (scripts/pg.sh, PG_DURABLE=1: fsync and
# synchronous_commit on) with pgbench's TPC-B tables (scale 128), builds
# bin/bankapp (CGO_ENABLED=0) and runs ONE `bankapp serve` on it (no
# replica). cmd/bankload creates 200 customers and, for 8, 32, 64 and 128
# clients, runs random-pair transfers over HTTP, then pgbench TPC-B on the
# same cluster with the same clients for the same time, then the hot account
# (every client pays one merchant) at 64 clients and pgbench again. After
# every step: every 201 in the ledger once, money conserved, no negative
# balance, `bankapp ledger verify`; any failure fails the script. CPU busy
# per process (PostgreSQL's postmaster and all its backends summed, bankapp,
# bankload, pgbench) during every step, and µs of CPU per transfer and per
# TPC-B transaction. Then the same server binary on SQLite at 8 and 64
# clients (the "no regression on SQLite" line) and the store-level
# BenchmarkTransfers (internal/ledger, one transaction per transfer).
#
# Prints the tables and writes them to docs/benchmarks.md between the
# BENCH-RUN markers; raw output (bankload text and JSON, server logs) goes to
# $BENCH_OUT/<time>/ (default /tmp/bankapp-bench).
#
# Settings (environment):
#   BENCH_SECONDS=15            each step (bankload and pgbench alike)
#   BENCH_CLIENTS=8,32,64,128   PostgreSQL steps; BENCH_HOT_CLIENTS=64; BENCH_SQLITE_CLIENTS=8,64
#   BENCH_USERS=200             customers; BENCH_PGBENCH_SCALE=128 (must be >= the most clients)
#   BENCH_BIN=path              measure this bankapp binary instead of building bin/bankapp
#   BENCH_COMPARE=path|commit   also measure this (older) binary, or one built from this commit:
#                               "base" and "new" run alternately at each step, the order
#                               reversed every other round (base new, new base, …; pgbench
#                               after each round), each on its own database of the same
#                               cluster (its own SQLite file), BENCH_REPS times each (default
#                               and minimum 2); the table shows both (median, lowest),
#                               new/base with the range of the adjacent pairs, both ratios
#   BENCH_REPS=1                repetitions of every step (median and lowest are reported)
#   BENCH_STORE=1               the store-level table (0 = skip; skipped with BENCH_BIN/BENCH_COMPARE)
#   BENCH_SQLITE=1              the SQLite line (0 = skip)
#   BENCH_DOC=docs/benchmarks.md  where the block goes ("" = nowhere)
#   BENCH_OUT=/tmp/bankapp-bench
# The servers inherit the caller's environment for server settings, e.g.
# GROUP_COMMIT_LANES=2 make bench; the header lists the ones set.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

secs=${BENCH_SECONDS:-15}
clients=${BENCH_CLIENTS:-8,32,64,128}
hot=${BENCH_HOT_CLIENTS:-64}
sqlite_clients=${BENCH_SQLITE_CLIENTS:-8,64}
users=${BENCH_USERS:-200}
scale=${BENCH_PGBENCH_SCALE:-128}
compare=${BENCH_COMPARE:-}
bin=${BENCH_BIN:-}
store=${BENCH_STORE:-1}
with_sqlite=${BENCH_SQLITE:-1}
doc=${BENCH_DOC-docs/benchmarks.md}
reps=${BENCH_REPS:-1}
if [ -n "$compare" ]; then
  reps=${BENCH_REPS:-2}
  [ "$reps" -ge 2 ] || { echo "bench: BENCH_COMPARE needs BENCH_REPS >= 2 (min and median of alternating runs)" >&2; exit 2; }
fi

log() { echo "bench: $*" >&2; }
die() { log "$*"; exit 1; }

maxc=$(tr ',' '\n' <<<"$clients,$hot" | sort -n | tail -n 1)
[ "$scale" -ge "$maxc" ] || die "BENCH_PGBENCH_SCALE=$scale is below the most clients ($maxc): pgbench's manual asks for scale >= clients"

started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
t_start=$(date +%s)
out=${BENCH_OUT:-/tmp/bankapp-bench}/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
work=$(mktemp -d /tmp/bankapp-bench.XXXXXX)
chmod 755 "$work"

# --- clean-up: only what this script started --------------------------------
server_pids=()
init_pid=
cleanup() {
  local p
  for p in "${server_pids[@]}"; do stop_pid "$p"; done
  if [ -n "$init_pid" ]; then kill "$init_pid" 2>/dev/null || true; wait "$init_pid" 2>/dev/null || true; fi
  if [ -n "${BANKAPP_PG_DIR:-}" ]; then bash scripts/pg.sh stop "$BANKAPP_PG_DIR"; fi
  rm -rf "$work"
}
trap cleanup EXIT

stop_pid() {
  local pid=$1 _
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

free_port() {
  local p i base=$((20000 + RANDOM % 5000))
  for i in $(seq 0 200); do
    p=$((base + i))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  die "no free port"
}

# --- PostgreSQL and pgbench's tables (loading while the binaries build) ----
eval "$(PG_DURABLE=1 bash scripts/pg.sh start)"
admin_url=$TEST_DATABASE_URL
pgurl=${TEST_DATABASE_URL%/postgres*}
pgbench_url="$pgurl/pgbench?sslmode=disable"
# shellcheck disable=SC2153 # BANKAPP_PG_BIN comes from pg.sh's exports above
pg_version=$("$BANKAPP_PG_BIN/postgres" --version | awk '{print $3}')
"$BANKAPP_PG_BIN/psql" -q "$admin_url" -c "CREATE DATABASE pgbench" >/dev/null
log "pgbench -i -s $scale (in the background)"
"$BANKAPP_PG_BIN/pgbench" -q -i -s "$scale" "$pgbench_url" >"$out/pgbench-init.log" 2>&1 &
init_pid=$!
pg_pid=$(head -n 1 "$BANKAPP_PG_DIR/data/postmaster.pid")

# --- binaries ---------------------------------------------------------------
export CGO_ENABLED=0
mkdir -p "$work/bin" bin
rev=$(git describe --always --dirty 2>/dev/null || echo dev)
if [ -n "$bin" ]; then
  [ -x "$bin" ] || die "BENCH_BIN=$bin is not an executable"
  new_bin=$(realpath "$bin")
  new_desc="BENCH_BIN=$bin"
else
  log "building bin/bankapp at $rev"
  go build -trimpath -ldflags "-s -w -X main.version=$rev" -o bin/bankapp ./cmd/bankapp
  new_bin=$(realpath bin/bankapp)
  new_desc="bin/bankapp built from the work tree at $rev"
fi
new_desc+=" ($("$new_bin" version 2>/dev/null || echo 'version unknown'))"
base_bin=
if [ -n "$compare" ]; then
  if [ -f "$compare" ] && [ -x "$compare" ]; then
    base_bin=$(realpath "$compare")
    base_desc="BENCH_COMPARE=$compare"
  elif crev=$(git rev-parse --short --verify -q "$compare^{commit}"); then
    log "building the base binary at $crev (git archive, so the work tree's edits are not in it)"
    mkdir -p "$work/base-src"
    git archive "$crev" | tar -x -C "$work/base-src"
    (cd "$work/base-src" && go build -trimpath -ldflags "-s -w -X main.version=$crev" -o "$work/bin/bankapp-base" ./cmd/bankapp)
    base_bin=$work/bin/bankapp-base
    base_desc="BENCH_COMPARE=$compare, built from commit $crev"
  else
    die "BENCH_COMPARE=$compare is neither an executable nor a commit"
  fi
  base_desc+=" ($("$base_bin" version 2>/dev/null || echo 'version unknown'))"
fi
go build -trimpath -o "$work/bin/bankload" ./cmd/bankload
log "waiting for pgbench -i"
wait "$init_pid" || { cat "$out/pgbench-init.log" >&2; die "pgbench -i failed"; }
init_pid=

# --- servers ----------------------------------------------------------------
# start_server LABEL BINARY DATABASE_URL: one `bankapp serve` on a free
# port; sets srv_pid and srv_url.
# An empty DATABASE_URL is SQLite in the data dir ($work/LABEL/bankapp.db).
srv_pid='' srv_url=''
start_server() {
  local label=$1 binary=$2 db=$3 port _
  port=$(free_port)
  mkdir -p "$work/$label"
  env BANKAPP_ENV=development BANKAPP_ADDR="127.0.0.1:$port" METRICS_ADDR=127.0.0.1:0 \
    BANKAPP_DATA_DIR="$work/$label" DATABASE_URL="$db" DATABASE_READ_URL='' \
    LOG_LEVEL=warn LOG_FORMAT=json AUTH_RATE_LIMIT_PER_MINUTE=0 API_RATE_LIMIT_PER_MINUTE=0 \
    "$binary" serve >>"$out/server-$label.log" 2>&1 &
  srv_pid=$!
  server_pids+=("$srv_pid")
  srv_url=http://127.0.0.1:$port
  for _ in $(seq 1 600); do
    curl -fsS -o /dev/null "$srv_url/readyz" 2>/dev/null && return 0
    kill -0 "$srv_pid" 2>/dev/null || { tail -n 20 "$out/server-$label.log" >&2; die "$label: bankapp serve exited"; }
    sleep 0.05
  done
  die "$label: not ready after 30 s"
}

stop_servers() {
  local p
  for p in "${server_pids[@]}"; do stop_pid "$p"; done
  server_pids=()
}

# log_notes FILE...: what the servers logged at WARN or ERROR, counted by
# message (a server quietly falling back to a slow path — a batch that
# fails and runs its requests one by one — is part of the measurement).
log_notes() {
  python3 - "$@" <<'PY'
import collections, json, os, sys
for path in sys.argv[1:]:
    seen, other = collections.Counter(), 0
    for line in open(path, errors="replace"):
        try:
            r = json.loads(line)
        except ValueError:
            other += 1
            continue
        if r.get("level") in ("WARN", "ERROR"):
            err = str(r.get("err", ""))[:160]
            seen[(r["level"], r.get("msg", ""), err)] += 1
    name = os.path.basename(path)[len("server-"):-len(".log")]
    total = sum(seen.values())
    if total == 0 and other == 0:
        continue
    print(f"- **{name} server log: {total} WARN/ERROR lines**" + (f", {other} other lines" if other else ""))
    for (level, msg, err), n in seen.most_common(5):
        print(f"  - {n} × {level} {msg}" + (f": `{err}`" if err else ""))
PY
}

labels=(bankapp)
bins=("$new_bin")
if [ -n "$base_bin" ]; then labels=(base new); bins=("$base_bin" "$new_bin"); fi

# ledger verify's configuration looks at the data dir: keep it out of the repo.
export BANKAPP_DATA_DIR=$work/verify PGBENCH=$BANKAPP_PG_BIN/pgbench

# bankload_run NAME PLAN TARGETS... (extra flags before the targets end with --)
bankload_run() {
  local name=$1 plan=$2
  shift 2
  "$work/bin/bankload" -plan "$plan" -reps "$reps" -d "${secs}s" -users "$users" -verify-each \
    -md "$out/$name.md" -json "$out/$name.json" "$@" | tee "$out/$name.txt"
}

# --- PostgreSQL: one instance (per binary), pgbench after every step --------
targets=()
for i in "${!labels[@]}"; do
  l=${labels[$i]} db=bankapp
  [ ${#labels[@]} -gt 1 ] && db=bankapp_$l
  "$BANKAPP_PG_BIN/psql" -q "$admin_url" -c "CREATE DATABASE $db" >/dev/null
  start_server "pg-$l" "${bins[$i]}" "$pgurl/$db?sslmode=disable"
  targets+=(-target "$l url=$srv_url pids=$srv_pid db=$pgurl/$db?sslmode=disable bankapp=${bins[$i]}")
done
log "PostgreSQL steps: transfers at $clients clients, hot account at $hot, ${secs} s each, pgbench after each, ${reps}x"
bankload_run pg "transfers:$clients hot:$hot" -pgbench-url "$pgbench_url" -proc "postgres=$pg_pid" "${targets[@]}" \
  || die "the PostgreSQL steps failed (see above and $out/pg.txt)"
stop_servers

# --- SQLite: the same binary (binaries) on its own file ---------------------
if [ "$with_sqlite" = 1 ]; then
  targets=()
  for i in "${!labels[@]}"; do
    l=${labels[$i]}
    start_server "sqlite-$l" "${bins[$i]}" ""
    targets+=(-target "$l url=$srv_url pids=$srv_pid db=sqlite:$work/sqlite-$l/bankapp.db bankapp=${bins[$i]}")
  done
  log "SQLite steps: transfers at $sqlite_clients clients"
  bankload_run sqlite "transfers:$sqlite_clients" "${targets[@]}" || die "the SQLite steps failed (see above and $out/sqlite.txt)"
  stop_servers
fi

# --- store level: internal/ledger BenchmarkTransfers (this work tree) -------
store_md=
if [ "$store" = 1 ] && [ -z "$bin" ] && [ -z "$compare" ]; then
  log "store-level BenchmarkTransfers at 8, 32 and 64 workers"
  TEST_DATABASE_URL=$admin_url go test -trimpath -run '^$' -bench 'BenchmarkTransfers/workers=(8|32|64)$' \
    -benchtime "${secs}s" -timeout 30m ./internal/ledger/ 2>&1 | tee "$out/store.txt" | grep -E '^(Benchmark|ok|FAIL|---)' || true
  grep -q '^ok' "$out/store.txt" || die "BenchmarkTransfers failed (see $out/store.txt)"
  store_md=$(python3 - "$out/store.txt" "$out/pg.json" <<'PY'
import json, re, statistics, sys
store, pg = sys.argv[1], json.load(open(sys.argv[2]))
tps = {}
for p in pg.get("pgbench") or []:
    if p["after_mix"] == "transfers":
        tps.setdefault(p["clients"], []).append(p["tps"])
print("| workers | transfers/s | pgbench TPC-B tps (the HTTP steps' runs) | ratio |")
print("|---:|---:|---:|---:|")
for line in open(store):
    m = re.match(r"BenchmarkTransfers/workers=(\d+)\S*\s+\d+\s+.*?([\d.]+) transfers/s", line)
    if not m:
        continue
    w, ours = int(m.group(1)), float(m.group(2))
    if w in tps:
        theirs = statistics.median(tps[w])
        print(f"| {w} | {ours:,.0f} | {theirs:,.0f} | {ours / theirs:.2f}× |")
    else:
        print(f"| {w} | {ours:,.0f} | – | – |")
PY
)
fi

# --- the block --------------------------------------------------------------
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
minutes=$(( ($(date +%s) - t_start + 30) / 60 ))
settings=$(env | grep -E '^(GROUP_COMMIT[A-Z_]*|GOMAXPROCS|GOMEMLIMIT|GOGC)=' | sort | paste -sd' ' - || true)
mode="one binary"
[ -n "$base_bin" ] && mode="two binaries alternating (base new, new base, …), ${reps} runs each per step"
{
  echo "<!-- BENCH-RUN:BEGIN -->"
  echo "## \`make bench\`: one instance against pgbench TPC-B, same run"
  echo
  echo "Run $started, $minutes min, $mode; ${secs} s per step, $users customers, random pairs."
  echo "PostgreSQL $pg_version with fsync and synchronous_commit on, one \`bankapp serve\` (no replica),"
  echo "pgbench TPC-B at scale $scale on the same cluster right after each step (same clients, same duration)."
  echo "Machine: $(nproc) cores, load average $load_start at the start and $load_end at the end (/proc/loadavg);"
  echo "\"other\" below is the CPU the rest of the machine used meanwhile."
  if [ -n "$base_bin" ]; then
    echo "base: $base_desc. new: $new_desc."
  else
    echo "Binary: $new_desc."
  fi
  [ -n "$settings" ] && echo "Server settings from the environment: \`$settings\`."
  echo
  echo "### PostgreSQL"
  echo
  cat "$out/pg.md"
  notes=$(log_notes "$out"/server-pg-*.log)
  [ -z "$notes" ] || printf '\n%s\n' "$notes"
  if [ "$with_sqlite" = 1 ]; then
    echo
    echo "### SQLite (the same binary, its own file; no pgbench)"
    echo
    cat "$out/sqlite.md"
    notes=$(log_notes "$out"/server-sqlite-*.log)
    [ -z "$notes" ] || printf '\n%s\n' "$notes"
  fi
  if [ -n "$store_md" ]; then
    echo
    echo "### Store level (\`BenchmarkTransfers\`, internal/ledger: one transaction per transfer, 1,000 accounts, no HTTP)"
    echo
    echo "$store_md"
  fi
  echo "<!-- BENCH-RUN:END -->"
} >"$out/block.md"
echo
cat "$out/block.md"
echo
log "raw output in $out"
if [ -n "$doc" ]; then
  python3 - "$doc" "$out/block.md" <<'PY'
import re, sys
path, block = sys.argv[1], open(sys.argv[2]).read().rstrip("\n")
s = open(path).read()
if "<!-- BENCH-RUN:BEGIN -->" in s:
    s = re.sub(r"<!-- BENCH-RUN:BEGIN -->.*?<!-- BENCH-RUN:END -->", lambda m: block, s, flags=re.S)
else:
    s = s.rstrip() + "\n\n" + block + "\n"
open(path, "w").write(s)
PY
  log "wrote the block to $doc"
fi
