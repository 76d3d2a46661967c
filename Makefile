# BankApp. `make run` starts the app; `make test` runs every test (what CI runs).
SHELL := /bin/bash
GO ?= go
# Go 1.26.10 fixes eleven standard-library vulnerabilities of the 1.26.8 this
# machine image ships; the go command fetches it from the module proxy once.
export GOTOOLCHAIN := go1.26.10
BIN := bin/bankapp
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)

.PHONY: run build web test test-go test-web fuzz lint bench clean help

help:
	@echo "make run    - build the web app if needed and start BankApp on http://localhost:3001 (SQLite in ./data)"
	@echo "make test   - every test: Go (SQLite + PostgreSQL, -race), fuzzing, web (Vitest + browser e2e), infrastructure, lint"
	@echo "make lint   - gofmt, go vet, staticcheck, gosec, govulncheck"
	@echo "make bench  - one instance on durable PostgreSQL: transfers/s vs pgbench TPC-B, CPU, ledger checks; SQLite line (docs/benchmarks.md)"
	@echo "make build  - bin/bankapp (CGO_ENABLED=0)"

web/dist/index.html:
	cd web && npm ci --loglevel=error && npm run build

web: web/dist/index.html

run: web
	$(GO) run ./cmd/bankapp serve

build: web
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/bankapp

test:
	bash scripts/test.sh all

test-go:
	bash scripts/test.sh go

test-web:
	bash scripts/web-test.sh

fuzz:
	bash scripts/test.sh fuzz

lint:
	bash scripts/lint.sh

bench:
	bash scripts/bench.sh

clean:
	rm -rf bin web/dist/assets web/dist/index.html

-include deploy/infra.mk
-include deploy/local/stack.mk
