#!/usr/bin/env bash
# Runs BankApp's tests. `make test` = `scripts/test.sh all`.
#   go    Go tests with -race on SQLite and on a real PostgreSQL
#   fuzz  short bounded fuzzing of the parsers
#   all   go + fuzz + web (Vitest, build, browser e2e) + infrastructure + lint
# When TEST_DATABASE_URL is unset, a throwaway PostgreSQL cluster is started
# (scripts/pg.sh) and stopped at the end. Whatever the tests need is
# installed when missing (PostgreSQL, poppler-utils; chromium by e2e.sh).
set -euo pipefail
export GOTOOLCHAIN=${GOTOOLCHAIN:-go1.26.10} # see Makefile
cd "$(dirname "${BASH_SOURCE[0]}")/.."
what=${1:-all}
export GOFLAGS=${GOFLAGS:--buildvcs=false}

apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq; APT_UPDATED=1; fi
  apt-get install -y -qq "$@" >/dev/null
}

need_tools() {
  command -v pdftotext >/dev/null || { echo "test: installing poppler-utils (pdftotext)"; apt_install poppler-utils; }
  command -v gcc >/dev/null || { echo "test: installing gcc (go test -race needs cgo)"; apt_install gcc libc6-dev; }
}

start_pg() {
  if [ -z "${TEST_DATABASE_URL:-}" ]; then
    eval "$(bash scripts/pg.sh start)"
    trap 'bash scripts/pg.sh stop "$BANKAPP_PG_DIR"' EXIT
    eval "$(bash scripts/pg.sh replica "$BANKAPP_PG_DIR")"
    export TEST_REPLICA_URL BANKAPP_PG_DIR BANKAPP_PG_BIN
  fi
  export TEST_DATABASE_URL BANKAPP_REQUIRE_PG=1
}

go_tests() {
  echo "== go test -race ./... (SQLite and PostgreSQL)"
  CGO_ENABLED=1 go test -race -count=1 -timeout 40m ./...
}

fuzz() {
  echo "== fuzzing (bounded)"
  go test -run '^$' -fuzz '^FuzzAmount$' -fuzztime "${FUZZTIME:-15s}" ./internal/ledger/
  go test -run '^$' -fuzz '^FuzzDecode$' -fuzztime "${FUZZTIME:-15s}" ./internal/api/
  go test -run '^$' -fuzz '^FuzzQuote$' -fuzztime "${FUZZTIME:-15s}" ./internal/fx/
}

case "$what" in
  go) need_tools; start_pg; go_tests ;;
  fuzz) fuzz ;;
  all)
    need_tools
    start_pg
    go_tests
    fuzz
    echo "== web"
    bash scripts/web-test.sh
    if grep -q '^infra-test:' deploy/infra.mk 2>/dev/null; then
      echo "== infrastructure"
      make --no-print-directory infra-test
    fi
    echo "== lint"
    bash scripts/lint.sh
    echo "== all tests passed"
    # Re-run the Go suite's summary last so CI's log ends with go test's own lines.
    go test -count=1 ./internal/ledger/ ./internal/config/
    ;;
  *) echo "usage: $0 go|fuzz|all" >&2; exit 2 ;;
esac
