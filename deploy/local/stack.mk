# The production-like local stack, load generator and chaos tests (issue 8).
# Included from the Makefile (-include deploy/local/stack.mk). Not part of
# `make test`: these are long suites with their own targets.
#   make stack-up / stack-down      PostgreSQL primary + replica, 3 instances, HAProxy, Mailpit
#   make load                       bankload through HAProxy (LOAD_MIX, LOAD_CLIENTS, LOAD_SECONDS)
#   make stack-bench                transfers (vs pgbench), read and hot mixes through the stack
#                                   (scripts/stack/bench.sh; BENCH_SECONDS, BENCH_CLIENTS, BENCH_MIXES)
#   make chaos                      SIGKILL, rolling restart, primary restart, replica stop
# docs/local-stack.md and docs/reliability.md describe them.
LOAD_MIX ?= transfers
LOAD_CLIENTS ?= 8,32,64,128
LOAD_SECONDS ?= 20
LOAD_USERS ?= 200
LOAD_OUT ?= /tmp/bankapp-load

.PHONY: stack-up stack-down stack-status load stack-bench chaos

stack-up:
	bash scripts/stack.sh up

stack-down:
	bash scripts/stack.sh down

stack-status:
	bash scripts/stack.sh status

load: stack-up
	mkdir -p $(LOAD_OUT)
	eval "$$(bash scripts/stack.sh env)" && "$$STACK_BIN/bankload" -url "$$STACK_URL" -mix $(LOAD_MIX) \
	  -c $(LOAD_CLIENTS) -d $(LOAD_SECONDS)s -users $(LOAD_USERS) -pgbench-url "$$STACK_PGBENCH_URL" \
	  -db-url "$$STACK_DATABASE_URL" -bankapp "$$STACK_BIN/bankapp" -pids "$$STACK_PIDS" \
	  -svg $(LOAD_OUT)/$(LOAD_MIX).svg -json $(LOAD_OUT)/$(LOAD_MIX).json

stack-bench:
	bash scripts/stack/bench.sh

chaos:
	bash scripts/chaos.sh
