#!/usr/bin/env bash
# The production-like local stack (issue 8), all on 127.0.0.1:
#   PostgreSQL primary + a streaming read replica (pg_basebackup -R, a
#   replication slot), three `bankapp serve` instances, HAProxy in front with
#   active /readyz checks, passive failover and retries of safe requests only
#   (deploy/local/haproxy.cfg.tmpl), and Mailpit: the SMTP server the
#   instances send their email to (SMTP_URL), whose web UI lists it.
#
#   scripts/stack.sh up          start whatever is not running (idempotent)
#   scripts/stack.sh down        stop everything and delete the run dir
#   scripts/stack.sh status      what runs where
#   scripts/stack.sh env         shell exports: STACK_URL, DATABASE_URL, ...
#   scripts/stack.sh reload      rebuild bankapp (STACK_REV) and restart the instances one by one
#   scripts/stack.sh api-start N | api-stop N [SIGNAL] | api-wait N
#   scripts/stack.sh pg-restart | replica-stop | replica-start | lb-wait-up N
#
# State lives in a run dir (mktemp under /tmp) named in $STACK_STATE
# (default /tmp/bankapp-stack.state), so `down` and the chaos script find it.
# Ports: STACK_LB_PORT (18080), STACK_API_PORTS (13001,13002,13003),
# STACK_METRICS_PORTS (19091,19092,19093: each instance's metrics and pprof
# listener, METRICS_ADDR — /metrics is not on the API port),
# STACK_PG_PORT (15432), STACK_REPLICA_PORT (15433), STACK_STATS_PORT (18404);
# Mailpit takes the first free ports from STACK_SMTP_PORT (11025, SMTP) and
# STACK_MAIL_UI_PORT (18025, web UI).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
STATE=${STACK_STATE:-/tmp/bankapp-stack.state}

log() { echo "stack: $*" >&2; }
die() { log "$*"; exit 1; }

# --- state -----------------------------------------------------------------

load_state() {
  [ -f "$STATE" ] || return 1
  # shellcheck disable=SC1090
  . "$STATE"
  [ -d "${STACK_DIR:-}" ]
}

new_state() {
  STACK_DIR=$(mktemp -d /tmp/bankapp-stack.XXXXXX)
  LB_PORT=${STACK_LB_PORT:-18080}
  STATS_PORT=${STACK_STATS_PORT:-18404}
  PG_PORT=${STACK_PG_PORT:-15432}
  REPLICA_PORT=${STACK_REPLICA_PORT:-15433}
  IFS=, read -r API1_PORT API2_PORT API3_PORT <<<"${STACK_API_PORTS:-13001,13002,13003}"
  IFS=, read -r METRICS1_PORT METRICS2_PORT METRICS3_PORT <<<"${STACK_METRICS_PORTS:-19091,19092,19093}"
  local p
  for p in "$LB_PORT" "$STATS_PORT" "$PG_PORT" "$REPLICA_PORT" "$API1_PORT" "$API2_PORT" "$API3_PORT" \
    "$METRICS1_PORT" "$METRICS2_PORT" "$METRICS3_PORT"; do
    port_open "$p" && die "port $p on 127.0.0.1 is taken (set STACK_*_PORT)"
  done
  JWT_KEY=$(head -c 32 /dev/urandom | base64)
  SMTP_PORT=$(free_port "${STACK_SMTP_PORT:-11025}")
  MAIL_UI_PORT=$(free_port "${STACK_MAIL_UI_PORT:-18025}" "$SMTP_PORT")
  cat >"$STATE" <<EOF
STACK_DIR='$STACK_DIR'
LB_PORT=$LB_PORT
STATS_PORT=$STATS_PORT
PG_PORT=$PG_PORT
REPLICA_PORT=$REPLICA_PORT
API1_PORT=$API1_PORT
API2_PORT=$API2_PORT
API3_PORT=$API3_PORT
METRICS1_PORT=$METRICS1_PORT
METRICS2_PORT=$METRICS2_PORT
METRICS3_PORT=$METRICS3_PORT
JWT_KEY='$JWT_KEY'
SMTP_PORT=$SMTP_PORT
MAIL_UI_PORT=$MAIL_UI_PORT
EOF
  chmod 600 "$STATE"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# free_port FROM [EXCEPT]: the first port from FROM up that nothing listens on.
free_port() {
  local p=$1 _
  for _ in $(seq 1 200); do
    if [ "$p" != "${2:-}" ] && ! port_open "$p"; then echo "$p"; return 0; fi
    p=$((p + 1))
  done
  die "no free port from $1 to $p"
}

# Stacks started before Mailpit joined the stack get their ports now.
mail_ports() {
  if [ -z "${SMTP_PORT:-}" ]; then
    SMTP_PORT=$(free_port "${STACK_SMTP_PORT:-11025}")
    MAIL_UI_PORT=$(free_port "${STACK_MAIL_UI_PORT:-18025}" "$SMTP_PORT")
    printf 'SMTP_PORT=%s\nMAIL_UI_PORT=%s\n' "$SMTP_PORT" "$MAIL_UI_PORT" >>"$STATE"
  fi
}

smtp_url() { echo "smtp://127.0.0.1:$SMTP_PORT"; }
mail_ui_url() { echo "http://127.0.0.1:$MAIL_UI_PORT/"; }

api_port() { local v="API${1}_PORT"; echo "${!v}"; }
# A run dir made before the metrics listener existed has no METRICSn_PORT.
metrics_port() { local v="METRICS${1}_PORT"; echo "${!v:-$((19090 + $1))}"; }

db_url() { echo "postgres://bankapp@127.0.0.1:$PG_PORT/bankapp?sslmode=disable"; }
read_url() { echo "postgres://bankapp@127.0.0.1:$REPLICA_PORT/bankapp?sslmode=disable"; }

# --- tools -----------------------------------------------------------------

PGBIN=
find_pg() {
  PGBIN=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
    log "installing Debian's postgresql package"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
    PGBIN=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
}

find_haproxy() {
  if ! command -v haproxy >/dev/null; then
    log "installing Debian's haproxy package"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq haproxy >&2
  fi
  command -v envsubst >/dev/null || { export DEBIAN_FRONTEND=noninteractive; apt-get install -y -qq gettext-base >&2; }
}

RUNAS=()
pg_user() {
  if [ "$(id -u)" = 0 ]; then
    id -u bankapp-pg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin bankapp-pg
    RUNAS=(runuser -u bankapp-pg --)
  fi
}

# build compiles bankapp from a clean export of a commit (STACK_REV, default
# HEAD), so uncommitted edits in the work tree never end up in a measurement;
# the commit is recorded in the run dir. bankload comes from the work tree.
build() {
  local rev src
  rev=$(git rev-parse --short "${STACK_REV:-HEAD}")
  src=$STACK_DIR/src
  mkdir -p "$STACK_DIR/bin"
  rm -rf "$src" && mkdir -p "$src"
  git archive "$rev" | tar -x -C "$src"
  [ -f web/dist/index.html ] && [ "${STACK_WEB:-0}" = 1 ] && cp -r web/dist/. "$src/web/dist/"
  log "building bankapp at $rev and bankload"
  (cd "$src" && CGO_ENABLED=0 go build -o "$STACK_DIR/bin/bankapp.new" ./cmd/bankapp)
  mv "$STACK_DIR/bin/bankapp.new" "$STACK_DIR/bin/bankapp"
  echo "$rev" >"$STACK_DIR/bin/bankapp.rev"
  go build -o "$STACK_DIR/bin/bankload" ./cmd/bankload
}

# --- PostgreSQL ------------------------------------------------------------

pg_running() { [ -f "$1/postmaster.pid" ] && "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$1" status >/dev/null 2>&1; }

primary_up() {
  local d=$STACK_DIR/pg/primary
  if [ ! -d "$d" ]; then
    mkdir -p "$STACK_DIR/pg" && chmod 700 "$STACK_DIR/pg"
    [ ${#RUNAS[@]} -gt 0 ] && chown bankapp-pg "$STACK_DIR/pg"
    "${RUNAS[@]}" "$PGBIN/initdb" -D "$d" -U bankapp --auth=trust -E UTF8 --locale=C.UTF-8 >"$STACK_DIR/pg/initdb.log" 2>&1 \
      || { cat "$STACK_DIR/pg/initdb.log" >&2; exit 1; }
    "${RUNAS[@]}" tee -a "$d/postgresql.conf" >/dev/null <<CONF
# bankapp local stack: durable like production (fsync, synchronous_commit on)
listen_addresses='127.0.0.1'
port=$PG_PORT
unix_socket_directories='$STACK_DIR/pg'
max_connections=400
shared_buffers=256MB
fsync=on
synchronous_commit=on
wal_level=replica
max_wal_senders=10
max_replication_slots=10
hot_standby=on
wal_keep_size=256MB
log_min_messages=warning
# per-statement figures for the benchmarks (CREATE EXTENSION pg_stat_statements)
shared_preload_libraries='pg_stat_statements'
CONF
  fi
  if ! pg_running "$d"; then
    "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$d" -l "$STACK_DIR/pg/primary.log" -w -t 60 start >/dev/null \
      || { tail -20 "$STACK_DIR/pg/primary.log" >&2; exit 1; }
  fi
  "$PGBIN/psql" -qAt "postgres://bankapp@127.0.0.1:$PG_PORT/postgres?sslmode=disable" \
    -c "SELECT 1 FROM pg_database WHERE datname='bankapp'" | grep -q 1 \
    || "$PGBIN/psql" -q "postgres://bankapp@127.0.0.1:$PG_PORT/postgres?sslmode=disable" -c "CREATE DATABASE bankapp" >/dev/null
  "$PGBIN/psql" -q "postgres://bankapp@127.0.0.1:$PG_PORT/bankapp?sslmode=disable" \
    -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
  # pgbench's TPC-B tables in their own database, for bankload's side-by-side
  # comparison on the same cluster. Scale 128 by default: pgbench's manual
  # asks for a scale at least the largest number of clients (128 here), or
  # TPC-B mostly measures contention on its few branch rows (at scale 10,
  # 64 clients ran 20-50 % below scale 64 on this machine).
  local pgb="postgres://bankapp@127.0.0.1:$PG_PORT/pgbench?sslmode=disable" scale=${STACK_PGBENCH_SCALE:-128}
  if ! "$PGBIN/psql" -qAt "postgres://bankapp@127.0.0.1:$PG_PORT/postgres?sslmode=disable" \
      -c "SELECT 1 FROM pg_database WHERE datname='pgbench'" | grep -q 1; then
    "$PGBIN/psql" -q "postgres://bankapp@127.0.0.1:$PG_PORT/postgres?sslmode=disable" -c "CREATE DATABASE pgbench" >/dev/null
  fi
  if [ "$("$PGBIN/psql" -qAt "$pgb" -c "SELECT count(*) FROM pgbench_branches" 2>/dev/null)" != "$scale" ]; then
    log "pgbench -i -s $scale"
    "$PGBIN/pgbench" -q -i -s "$scale" "$pgb" >/dev/null 2>&1
  fi
}

replica_start() {
  local d=$STACK_DIR/pg/replica
  if [ ! -d "$d" ]; then
    log "pg_basebackup -R into the replica (slot replica1)"
    "$PGBIN/psql" -qAt "postgres://bankapp@127.0.0.1:$PG_PORT/postgres?sslmode=disable" \
      -c "SELECT 1 FROM pg_replication_slots WHERE slot_name='replica1'" | grep -q 1 \
      && "$PGBIN/psql" -q "postgres://bankapp@127.0.0.1:$PG_PORT/postgres?sslmode=disable" -c "SELECT pg_drop_replication_slot('replica1')" >/dev/null
    "${RUNAS[@]}" "$PGBIN/pg_basebackup" -d "postgres://bankapp@127.0.0.1:$PG_PORT/?sslmode=disable" \
      -D "$d" -R -C -S replica1 -X stream -c fast >/dev/null
    "${RUNAS[@]}" tee -a "$d/postgresql.conf" >/dev/null <<CONF
# streaming replica of the primary on $PG_PORT
port=$REPLICA_PORT
CONF
  fi
  if ! pg_running "$d"; then
    "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$d" -l "$STACK_DIR/pg/replica.log" -w -t 60 start >/dev/null \
      || { tail -20 "$STACK_DIR/pg/replica.log" >&2; exit 1; }
  fi
}

replica_stop() {
  local d=$STACK_DIR/pg/replica
  pg_running "$d" && "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$d" -m fast -w stop >/dev/null
  return 0
}

# pg_restart restarts the primary (fast shutdown: open transactions are
# rolled back, committed ones are on disk) and prints the seconds it took.
pg_restart() {
  local t0 t1
  t0=$(date +%s%N)
  "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$STACK_DIR/pg/primary" -l "$STACK_DIR/pg/primary.log" -m fast -w -t 60 restart >/dev/null
  t1=$(date +%s%N)
  echo "$(( (t1 - t0) / 1000000 ))"
}

# --- Mailpit ---------------------------------------------------------------

# Mailpit (scripts/tools.sh builds it once, with its web UI, into
# ~/.cache/bankapp/tools) accepts any message on SMTP_PORT and lists it at
# http://127.0.0.1:MAIL_UI_PORT/. Messages live in the run dir's database.
mailpit_pid() { local f=$STACK_DIR/mailpit.pid; [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && cat "$f"; }

mailpit_start() {
  mailpit_pid >/dev/null && return 0
  local MAILPIT='' _
  eval "$(bash scripts/tools.sh --quiet mailpit)"
  [ -x "$MAILPIT" ] || die "scripts/tools.sh mailpit gave no binary"
  mkdir -p "$STACK_DIR/mailpit"
  nohup "$MAILPIT" --smtp "127.0.0.1:$SMTP_PORT" --listen "127.0.0.1:$MAIL_UI_PORT" \
    --database "$STACK_DIR/mailpit/mailpit.db" --smtp-disable-rdns --disable-version-check \
    >>"$STACK_DIR/mailpit.log" 2>&1 &
  echo $! >"$STACK_DIR/mailpit.pid"
  for _ in $(seq 1 400); do
    port_open "$SMTP_PORT" && port_open "$MAIL_UI_PORT" && return 0
    mailpit_pid >/dev/null || { tail -5 "$STACK_DIR/mailpit.log" >&2; die "mailpit exited"; }
    sleep 0.025
  done
  die "mailpit not listening after 10 s"
}

mailpit_stop() {
  local pid
  pid=$(mailpit_pid) || return 0
  kill "$pid" 2>/dev/null || true
  rm -f "$STACK_DIR/mailpit.pid"
}

# --- API instances ---------------------------------------------------------

api_pid() { local f=$STACK_DIR/api$1.pid; [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && cat "$f"; }

api_start() {
  local n=$1 port mport
  port=$(api_port "$n")
  mport=$(metrics_port "$n")
  api_pid "$n" >/dev/null && return 0
  mkdir -p "$STACK_DIR/api$n"
  (
    cd "$STACK_DIR/api$n"
    export BANKAPP_ADDR=127.0.0.1:$port METRICS_ADDR=127.0.0.1:$mport \
      DATABASE_URL DATABASE_READ_URL BANKAPP_DATA_DIR=$STACK_DIR/api$n/data \
      JWT_SIGNING_KEY=$JWT_KEY BANKAPP_ENV=development LOG_FORMAT=json LOG_LEVEL=${STACK_LOG_LEVEL:-warn} \
      AUTH_RATE_LIMIT_PER_MINUTE=0 API_RATE_LIMIT_PER_MINUTE=0 BANKAPP_JOBS_ENABLED=${STACK_JOBS:-true} \
      GOMEMLIMIT=${STACK_GOMEMLIMIT:-96MiB} SMTP_URL MAIL_FROM BANKAPP_PUBLIC_ORIGIN
    DATABASE_URL=$(db_url)
    SMTP_URL=$(smtp_url)
    MAIL_FROM=${MAIL_FROM:-BankApp <no-reply@bankapp.localhost>}
    BANKAPP_PUBLIC_ORIGIN=${BANKAPP_PUBLIC_ORIGIN:-http://127.0.0.1:$LB_PORT}
    DATABASE_READ_URL=$(read_url)
    [ "${STACK_NO_REPLICA:-0}" = 1 ] && unset DATABASE_READ_URL
    date +%s%N >"$STACK_DIR/api$n.started"
    nohup "$STACK_DIR/bin/bankapp" serve >>"$STACK_DIR/api$n.log" 2>&1 &
    echo $! >"$STACK_DIR/api$n.pid"
  )
}

# api_wait N waits until instance N answers /readyz 200 and prints the
# milliseconds from its start.
api_wait() {
  local n=$1 port _ t0
  port=$(api_port "$n")
  t0=$(cat "$STACK_DIR/api$n.started")
  for _ in $(seq 1 400); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null; then
      echo $(( ($(date +%s%N) - t0) / 1000000 ))
      return 0
    fi
    api_pid "$n" >/dev/null || { tail -5 "$STACK_DIR/api$n.log" >&2; die "api$n exited"; }
    sleep 0.025
  done
  die "api$n not ready after 10 s"
}

api_stop() {
  local n=$1 sig=${2:-TERM} pid _
  pid=$(api_pid "$n") || return 0
  kill "-$sig" "$pid"
  for _ in $(seq 1 600); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$STACK_DIR/api$n.pid"; return 0; }
    sleep 0.05
  done
  die "api$n (pid $pid) still running 30 s after SIG$sig"
}

# --- HAProxy ---------------------------------------------------------------

lb_pid() { local f=$STACK_DIR/haproxy.pid; [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && cat "$f"; }

lb_start() {
  lb_pid >/dev/null && return 0
  export STACK_DIR LB_PORT STATS_PORT API1_PORT API2_PORT API3_PORT
  # shellcheck disable=SC2016 # envsubst's list of variables, not shell expansions
  envsubst '${STACK_DIR} ${LB_PORT} ${STATS_PORT} ${API1_PORT} ${API2_PORT} ${API3_PORT}' \
    <deploy/local/haproxy.cfg.tmpl >"$STACK_DIR/haproxy.cfg"
  haproxy -c -q -f "$STACK_DIR/haproxy.cfg"
  haproxy -D -f "$STACK_DIR/haproxy.cfg" >>"$STACK_DIR/haproxy.log" 2>&1
}

# lb_state N prints HAProxy's view of apiN (UP, DOWN, ...).
lb_state() {
  curl -fsS "http://127.0.0.1:$STATS_PORT/;csv" | awk -F, -v s="api$1" '$1=="api" && $2==s {print $18}'
}

lb_wait_up() {
  local _
  for _ in $(seq 1 200); do
    [ "$(lb_state "$1")" = UP ] && return 0
    sleep 0.05
  done
  die "HAProxy does not see api$1 UP after 10 s"
}

# --- commands --------------------------------------------------------------

up() {
  find_pg; find_haproxy; pg_user
  if ! load_state; then new_state; fi
  mail_ports
  [ ${#RUNAS[@]} -gt 0 ] && chmod 755 "$STACK_DIR"
  if [ ! -x "$STACK_DIR/bin/bankapp" ] || [ "${STACK_REBUILD:-0}" = 1 ]; then build; fi
  primary_up
  replica_start
  mailpit_start
  DATABASE_URL=$(db_url) "$STACK_DIR/bin/bankapp" migrate up >/dev/null
  local n started=()
  for n in 1 2 3; do api_pid "$n" >/dev/null || { api_start "$n"; started+=("$n"); }; done
  for n in "${started[@]}"; do log "api$n ready $(api_wait "$n") ms after start"; done
  lb_start
  for n in 1 2 3; do lb_wait_up "$n"; done
  status
}

down() {
  find_pg; pg_user
  load_state || { log "no stack running ($STATE)"; rm -f "$STATE"; return 0; }
  local n pid
  if pid=$(lb_pid); then kill "$pid" 2>/dev/null || true; fi
  for n in 1 2 3; do api_stop "$n" TERM || api_stop "$n" KILL; done
  mailpit_stop
  replica_stop
  pg_running "$STACK_DIR/pg/primary" && "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$STACK_DIR/pg/primary" -m fast -w stop >/dev/null
  rm -rf "$STACK_DIR" "$STATE"
  log "stopped"
}

status() {
  find_pg; pg_user
  load_state || { echo "no stack ($STATE)"; return 1; }
  local n
  echo "run dir        $STACK_DIR  (bankapp at commit $(cat "$STACK_DIR/bin/bankapp.rev" 2>/dev/null || echo '?'))"
  echo "load balancer  http://127.0.0.1:$LB_PORT  (HAProxy $(lb_pid >/dev/null && echo running || echo STOPPED); stats http://127.0.0.1:$STATS_PORT/)"
  for n in 1 2 3; do
    echo "api$n           http://127.0.0.1:$(api_port "$n")  metrics http://127.0.0.1:$(metrics_port "$n")/metrics  pid $(api_pid "$n" || echo STOPPED)  lb $(lb_state "$n" 2>/dev/null || echo '?')"
  done
  echo "primary        $(db_url)  $(pg_running "$STACK_DIR/pg/primary" && echo running || echo STOPPED)"
  echo "replica        $(read_url)  $(pg_running "$STACK_DIR/pg/replica" && echo running || echo STOPPED)"
  if [ -n "${SMTP_PORT:-}" ]; then
    echo "mail (Mailpit) web UI $(mail_ui_url)  SMTP_URL=$(smtp_url)  $(mailpit_pid >/dev/null && echo running || echo STOPPED)"
  fi
  "$PGBIN/psql" -qAt "postgres://bankapp@127.0.0.1:$PG_PORT/postgres?sslmode=disable" -c \
    "SELECT 'replication    ' || application_name || ' ' || state || ' slot=' || COALESCE((SELECT slot_name FROM pg_replication_slots LIMIT 1), '-') || ' replay_lag=' || COALESCE(replay_lag::text, '0') FROM pg_stat_replication" 2>/dev/null || true
}

envs() {
  load_state || die "no stack ($STATE); run scripts/stack.sh up"
  echo "export STACK_DIR='$STACK_DIR'"
  echo "export STACK_URL='http://127.0.0.1:$LB_PORT'"
  echo "export STACK_DATABASE_URL='$(db_url)'"
  echo "export STACK_READ_URL='$(read_url)'"
  echo "export STACK_PGBENCH_URL='postgres://bankapp@127.0.0.1:$PG_PORT/pgbench?sslmode=disable'"
  echo "export STACK_PIDS='$(cat "$STACK_DIR"/api[123].pid 2>/dev/null | paste -sd, -)'"
  echo "export STACK_METRICS_URLS='$(for n in 1 2 3; do echo "http://127.0.0.1:$(metrics_port "$n")/metrics"; done | paste -sd, -)'"
  echo "export STACK_PG_PIDS='$(head -qn 1 "$STACK_DIR"/pg/primary/postmaster.pid "$STACK_DIR"/pg/replica/postmaster.pid 2>/dev/null | paste -sd, -)'"
  echo "export STACK_LB_PID='$(lb_pid || true)'"
  echo "export STACK_PGBIN='$PGBIN'"
  echo "export STACK_SMTP_URL='$(smtp_url)'"
  echo "export STACK_MAIL_UI_URL='$(mail_ui_url)'"
  echo "export STACK_BIN='$STACK_DIR/bin'"
  echo "export STACK_REV='$(cat "$STACK_DIR/bin/bankapp.rev" 2>/dev/null)'"
}

# reload rebuilds bankapp (at STACK_REV, default HEAD; STACK_REBUILD=0 keeps
# the binary) and restarts the instances one at a time behind HAProxy. The
# instances inherit the caller's environment, so server settings can be tried
# this way: GROUP_COMMIT_LANES=1 STACK_REBUILD=0 scripts/stack.sh reload
reload() {
  need_state
  [ "${STACK_REBUILD:-1}" = 0 ] || build
  local n
  for n in 1 2 3; do
    api_stop "$n" TERM
    api_start "$n"
    log "api$n ready $(api_wait "$n") ms after start"
    lb_wait_up "$n"
  done
  status
}

need_state() { find_pg; pg_user; load_state || die "no stack ($STATE); run scripts/stack.sh up"; }

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  reload) reload ;;
  env) find_pg; envs ;;
  api-start) need_state; api_start "$2" ;;
  api-stop) need_state; api_stop "$2" "${3:-TERM}" ;;
  api-wait) need_state; api_wait "$2" ;;
  lb-wait-up) need_state; lb_wait_up "$2" ;;
  lb-state) need_state; lb_state "$2" ;;
  pg-restart) need_state; pg_restart ;;
  replica-stop) need_state; replica_stop ;;
  replica-start) need_state; replica_start ;;
  *) sed -n '2,22p' "$0" >&2; exit 2 ;;
esac
