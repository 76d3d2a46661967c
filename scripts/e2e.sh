#!/usr/bin/env bash
# End-to-end test of the web app in Debian's chromium against the real Go
# server on a fresh SQLite database. Installs chromium with apt-get when it is
# missing; never downloads a browser build. Screenshots go to docs/screenshots/.
#
# Env: E2E_SKIP_BUILD=1 reuses web/dist; BANKAPP_E2E_BIN=path uses a prebuilt server.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export CI="${CI:-true}" DEBIAN_FRONTEND=noninteractive

log() { printf 'e2e.sh: %s\n' "$*" >&2; }

# 1. Browser: Debian's chromium only.
if [ ! -x /usr/bin/chromium ]; then
  log "installing Debian chromium"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi

# 2. Web build (the Go binary embeds web/dist, so build it first).
if [ ! -d web/node_modules ]; then
  log "npm ci"
  npm --prefix web ci --no-audit --no-fund --loglevel=error
fi
if [ "${E2E_SKIP_BUILD:-0}" != 1 ] || [ ! -f web/dist/index.html ]; then
  log "building web/dist"
  npm --prefix web run build --silent >/dev/null
fi

# 3. Server binary.
work="$(mktemp -d "${TMPDIR:-/tmp}/bankapp-e2e.XXXXXX")"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

bin="${BANKAPP_E2E_BIN:-$work/bankapp}"
if [ -z "${BANKAPP_E2E_BIN:-}" ]; then
  log "go build ./cmd/bankapp"
  go build -o "$bin" ./cmd/bankapp
fi

# 4. A fresh data dir with an admin, then the server on a free loopback port.
admin_email="admin-e2e@example.com"
admin_password="Ledger-Keeper-Passphrase-42"
mkdir -p "$work/data"
if ! BANKAPP_DATA_DIR="$work/data" BANKAPP_ENV=development "$bin" admin create \
  --email "$admin_email" --password "$admin_password" --name "E2E Admin" >"$work/admin.log" 2>&1; then
  log "could not create the e2e admin (admin steps will fail):"; cat "$work/admin.log" >&2
fi
port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
mkdir -p "$work/data"
# The simulated market gives deterministic quotes without internet access.
BANKAPP_DATA_DIR="$work/data" BANKAPP_ADDR="127.0.0.1:$port" METRICS_ADDR=127.0.0.1:0 BANKAPP_ENV=development \
  MARKET_DATA_PROVIDER=simulated ALLOW_SIMULATED_MARKET=true LOG_LEVEL=warn \
  "$bin" serve >"$work/server.log" 2>&1 &
server_pid=$!
url="http://127.0.0.1:$port"
for _ in $(seq 1 150); do
  if curl -fsS "$url/readyz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    log "server exited early:"; cat "$work/server.log" >&2; exit 1
  fi
  sleep 0.2
done
curl -fsS "$url/readyz" >/dev/null || { log "server not ready:"; tail -50 "$work/server.log" >&2; exit 1; }
log "server ready at $url"

# 5. Run the browser flows.
status=0
BANKAPP_URL="$url" E2E_ADMIN_EMAIL="$admin_email" E2E_ADMIN_PASSWORD="$admin_password" node web/e2e/run.mjs || status=$?
if [ "$status" -ne 0 ]; then
  log "e2e failed; last server log lines:"
  tail -40 "$work/server.log" >&2
fi
exit "$status"
