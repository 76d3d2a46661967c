#!/usr/bin/env bash
# Server start-to-ready time: starts `bankapp serve` RUNS times (default 5)
# on SQLite (a fresh data dir, so migrations run, and then an existing one)
# and on the stack's PostgreSQL primary (migrations current), and prints the
# milliseconds from exec to the first /readyz 200 (polled every 10 ms).
# Needs the stack (scripts/stack.sh up) for its binary and PostgreSQL.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
eval "$(bash scripts/stack.sh env)"
runs=${RUNS:-5}
port=${STARTUP_PORT:-13099}
tmp=$(mktemp -d /tmp/bankapp-startup.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

measure() { # env assignments... ; prints ms
  local t0 pid ms=-1 i
  t0=$(date +%s%N)
  env "$@" BANKAPP_ADDR="127.0.0.1:$port" BANKAPP_ENV=development LOG_LEVEL=warn BANKAPP_JOBS_ENABLED=false \
    JWT_SIGNING_KEY="$(head -c 32 /dev/urandom | base64)" "$STACK_BIN/bankapp" serve >>"$tmp/serve.log" 2>&1 &
  pid=$!
  for i in $(seq 1 1000); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null; then
      ms=$(( ($(date +%s%N) - t0) / 1000000 )); break
    fi
    sleep 0.01
  done
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  echo "$ms"
}

row() { # label, env...
  local label=$1 all=() i; shift
  for i in $(seq 1 "$runs"); do all+=("$(measure "$@")"); done
  printf '| %s | %s | %s |\n' "$label" "$(printf '%s\n' "${all[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")" "${all[*]}"
}

echo "| database | median ms to /readyz 200 | runs (ms) |"
echo "|---|---:|---|"
fresh=()
for i in $(seq 1 "$runs"); do fresh+=("$(measure BANKAPP_DATA_DIR="$tmp/fresh$i")"); done
printf '| SQLite, new data dir (migrations run) | %s | %s |\n' "$(printf '%s\n' "${fresh[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")" "${fresh[*]}"
row "SQLite, existing database" BANKAPP_DATA_DIR="$tmp/fresh1"
row "PostgreSQL (stack primary) + replica" BANKAPP_DATA_DIR="$tmp/pg" DATABASE_URL="$STACK_DATABASE_URL" DATABASE_READ_URL="$STACK_READ_URL"
