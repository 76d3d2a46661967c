#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL cluster for tests and benchmarks.
#   eval "$(scripts/pg.sh start)"   # exports TEST_DATABASE_URL and BANKAPP_PG_DIR
#   scripts/pg.sh stop "$BANKAPP_PG_DIR"
# It uses the installed server binaries (/usr/lib/postgresql/*/bin), installs
# Debian's postgresql package when there are none, and runs the server as an
# ordinary user (postgres refuses to run as root) on a free loopback port.
# PG_DURABLE=1 keeps fsync and synchronous_commit on (benchmarks); tests run
# without them.
set -euo pipefail

log() { echo "pg.sh: $*" >&2; }

find_bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$d" ] || [ ! -x "$d/initdb" ]; then
    log "no PostgreSQL server binaries; installing Debian's postgresql package"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
    d=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  echo "$d"
}

free_port() {
  local p
  for p in $(seq 55432 55632); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  log "no free port"; exit 1
}

start() {
  local bindir dir port runas
  bindir=$(find_bindir)
  dir=$(mktemp -d /tmp/bankapp-pg.XXXXXX)
  runas=()
  if [ "$(id -u)" = 0 ]; then
    id -u bankapp-pg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin bankapp-pg
    chown bankapp-pg "$dir"
    runas=(runuser -u bankapp-pg --)
  fi
  chmod 700 "$dir"
  port=$(free_port)
  "${runas[@]}" "$bindir/initdb" -D "$dir/data" -U bankapp --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  local durable="fsync=off
synchronous_commit=off
full_page_writes=off"
  [ "${PG_DURABLE:-0}" = 1 ] && durable="fsync=on
synchronous_commit=on"
  cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses='127.0.0.1'
port=$port
unix_socket_directories='$dir'
max_connections=400
shared_buffers=256MB
$durable
log_min_messages=warning
CONF
  "${runas[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >&2 \
    || { cat "$dir/server.log" >&2; exit 1; }
  echo "export BANKAPP_PG_DIR='$dir'"
  echo "export BANKAPP_PG_BIN='$bindir'"
  echo "export TEST_DATABASE_URL='postgres://bankapp@127.0.0.1:$port/postgres?sslmode=disable'"
  log "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($dir)"
}

# replica DIR: starts a streaming replica (pg_basebackup -R) of the cluster in
# DIR on another port and prints TEST_REPLICA_URL.
replica() {
  local dir=${1:-${BANKAPP_PG_DIR:-}} bindir port rport runas=()
  bindir=$(find_bindir)
  [ "$(id -u)" = 0 ] && runas=(runuser -u bankapp-pg --)
  port=$(sed -n "s/^port=//p" "$dir/data/postgresql.conf" | tail -n 1)
  rport=$(free_port)
  "${runas[@]}" "$bindir/pg_basebackup" -D "$dir/replica" -R -X stream -h 127.0.0.1 -p "$port" -U bankapp >&2
  echo "port=$rport" >>"$dir/replica/postgresql.conf"
  "${runas[@]}" "$bindir/pg_ctl" -D "$dir/replica" -l "$dir/replica.log" -w -t 60 start >&2 \
    || { cat "$dir/replica.log" >&2; exit 1; }
  echo "export TEST_REPLICA_URL='postgres://bankapp@127.0.0.1:$rport/postgres?sslmode=disable'"
  log "streaming replica on 127.0.0.1:$rport"
}

stop() {
  local dir=${1:-${BANKAPP_PG_DIR:-}} bindir runas=()
  [ -n "$dir" ] && [ -d "$dir/data" ] || return 0
  bindir=$(find_bindir)
  [ "$(id -u)" = 0 ] && runas=(runuser -u bankapp-pg --)
  if [ -d "$dir/replica" ]; then "${runas[@]}" "$bindir/pg_ctl" -D "$dir/replica" -m fast -w stop >/dev/null 2>&1 || true; fi
  "${runas[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  replica) replica "${2:-}" ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | replica [DIR] | stop [DIR]" >&2; exit 2 ;;
esac
