#!/usr/bin/env bash
# Web app checks: clean install from the lockfile, typecheck, unit tests,
# production build (with its size budget), then the end-to-end run.
# Non-interactive; works on a fresh machine (Node 20 + npm from the image).
# WEB_TEST_SKIP_E2E=1 stops after the build.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root/web"
export CI=true npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

echo "web-test: npm ci"
npm ci --loglevel=error
echo "web-test: API types match internal/api/openapi.json"
node scripts/api-types.mjs --check
echo "web-test: typecheck"
npx tsc --noEmit -p tsconfig.json
echo "web-test: vitest"
npx vitest run
echo "web-test: build (vite + precompressed .br/.gz)"
npm run build --silent
node scripts/budget.mjs

if [ "${WEB_TEST_SKIP_E2E:-0}" = 1 ]; then
  echo "web-test: e2e skipped (WEB_TEST_SKIP_E2E=1)"
  exit 0
fi
E2E_SKIP_BUILD=1 "$root/scripts/e2e.sh"
