#!/usr/bin/env bash
# End-to-end tests of the web app: @playwright/test driving Debian's chromium
# against the real Go server on a fresh SQLite database (with the demo data
# seeded), then the Lighthouse gate (web/lighthouse/run.mjs) against the same
# server. Installs chromium with apt-get when it is missing; never downloads a
# browser build.
#
#   scripts/e2e.sh                 e2e specs + Lighthouse
#   scripts/e2e.sh --screenshots   only the screenshot spec, into docs/screenshots
# Env: E2E_SKIP_BUILD=1 reuses web/dist; BANKAPP_E2E_BIN=path uses a prebuilt
# server; E2E_SKIP_LIGHTHOUSE=1 skips Lighthouse; E2E_ARGS passes arguments
# to playwright test (e.g. E2E_ARGS="money.spec.ts").
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export CI="${CI:-true}" DEBIAN_FRONTEND=noninteractive PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
mode="${1:-all}"

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

# 4. A fresh data dir with an admin and the demo data, then the server on a free loopback port.
admin_email="admin-e2e@example.com"
admin_password="Ledger-Keeper-Passphrase-42"
mkdir -p "$work/data"
export BANKAPP_DATA_DIR="$work/data" BANKAPP_ENV=development
"$bin" admin create --email "$admin_email" --password "$admin_password" --name "E2E Admin" >"$work/admin.log" 2>&1 ||
  { log "could not create the e2e admin:"; cat "$work/admin.log" >&2; exit 1; }
"$bin" seed --demo >"$work/seed.log" 2>&1 || { log "demo seed failed:"; cat "$work/seed.log" >&2; exit 1; }
port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
# The simulated market gives deterministic quotes without internet access.
# Every browser test signs up and in from 127.0.0.1, so the per-IP sign-in
# allowance (30 a minute, meant for one client each) is raised here: a fast
# run got 429 "Too many sign-in attempts" mid-suite. The limit itself is
# tested in Go (TestAuthThrottlePerIP, TestPasswordResetIsRateLimitedPerIP).
BANKAPP_ADDR="127.0.0.1:$port" METRICS_ADDR=127.0.0.1:0 MARKET_DATA_PROVIDER=simulated ALLOW_SIMULATED_MARKET=true LOG_LEVEL=warn \
  AUTH_RATE_LIMIT_PER_MINUTE=600 \
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
export BANKAPP_URL="$url" E2E_ADMIN_EMAIL="$admin_email" E2E_ADMIN_PASSWORD="$admin_password"

# 5. The browser tests (or the screenshots), then Lighthouse.
status=0
cd web
if [ "$mode" = "--screenshots" ]; then
  SCREENSHOTS="$root/docs/screenshots" npx playwright test -c e2e/playwright.config.ts --project shots || status=$?
else
  # shellcheck disable=SC2086
  npx playwright test -c e2e/playwright.config.ts --project desktop --project phone ${E2E_ARGS:-} || status=$?
  if [ "$status" -eq 0 ] && [ "${E2E_SKIP_LIGHTHOUSE:-0}" != 1 ]; then
    node lighthouse/run.mjs || status=$?
  fi
fi
if [ "$status" -ne 0 ]; then
  log "failed; last server log lines:"
  tail -40 "$work/server.log" >&2
fi
exit "$status"
