#!/usr/bin/env bash
# Chaos tests on the local stack (issue 8), loopback only and bounded in time.
# Under transfer load (bankload -mix chaos: transfers with Idempotency-Keys
# and retries reusing the key, plus account/history reads) it injects, one
# scenario at a time:
#   kill      SIGKILL one API instance (then starts it again)
#   rolling   rolling restart of all three instances with SIGTERM
#   pgrestart restart the PostgreSQL primary (pg_ctl restart -m fast)
#   replica   stop the streaming replica (started again afterwards)
# After each: every transfer answered 201 is in the ledger exactly once, no
# Idempotency-Key was applied twice, no negative balance, money held =
# deposits − withdrawals, `bankapp ledger verify` passes. Rolling restart must
# show zero failed requests (not even a failed attempt); after the primary
# restart the service must recover by itself within 30 s.
#
#   scripts/chaos.sh [scenario ...]       default: all four
# CHAOS_SECONDS (load per scenario, default 40), CHAOS_CLIENTS (16),
# CHAOS_USERS (100). Starts the stack when it is not running; leaves it up.
# Writes the summary to $CHAOS_OUT (default /tmp/bankapp-chaos/summary.md).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
secs=${CHAOS_SECONDS:-40}
clients=${CHAOS_CLIENTS:-16}
users=${CHAOS_USERS:-100}
out=${CHAOS_OUT:-/tmp/bankapp-chaos/summary.md}
work=$(dirname "$out")
mkdir -p "$work"
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(kill rolling pgrestart replica)

log() { echo "chaos: $(date -u +%H:%M:%S) $*" >&2; }
stack() { bash scripts/stack.sh "$@"; }
now_ms() { date +%s%3N; }

stack up >/dev/null
eval "$(stack env)"

# --- injections: each prints a one-line note of what it did ------------------

inject_kill() {
  local pid
  pid=$(cat "$STACK_DIR/api2.pid")
  stack api-stop 2 KILL
  sleep 5
  stack api-start 2 && stack api-wait 2 >/dev/null && stack lb-wait-up 2
  echo "SIGKILL api2 (pid $pid) under load; restarted it 5 s later"
}

inject_rolling() {
  local n t0 drain ready notes=()
  for n in 1 2 3; do
    t0=$(now_ms)
    stack api-stop "$n" TERM
    drain=$(( $(now_ms) - t0 ))
    stack api-start "$n"
    ready=$(stack api-wait "$n")
    stack lb-wait-up "$n"
    notes+=("api$n drained in ${drain} ms, ready ${ready} ms after start")
    sleep 2
  done
  local IFS=';'
  echo "SIGTERM each instance in turn, next one after HAProxy sees it UP (${notes[*]})"
}

inject_pgrestart() {
  local ms
  ms=$(stack pg-restart)
  echo "pg_ctl restart -m fast of the primary took ${ms} ms"
}

inject_replica() {
  stack replica-stop
  sleep 15
  stack replica-start
  echo "replica stopped for 15 s, then started again (catches up through its slot)"
}

# --- one scenario --------------------------------------------------------------

rows=()
failures=0
run_scenario() {
  local name=$1 marks=$work/$1.marks res note rc=0 t_inj
  : >"$marks"
  log "$name: ${secs} s of load at $clients clients"
  "$STACK_BIN/bankload" -url "$STACK_URL" -mix chaos -users "$users" -c "$clients" -d "${secs}s" \
    -db-url "$STACK_DATABASE_URL" -bankapp "$STACK_BIN/bankapp" -marks "$marks" -run "chaos-$name-$(date +%s)" \
    -json "$work/$name.json" >"$work/$name.log" 2>&1 &
  local load=$!
  # Inject once the customers are set up and the load has run a while.
  for _ in $(seq 1 600); do
    grep -q 'clients' "$work/$name.log" 2>/dev/null && break
    kill -0 "$load" 2>/dev/null || break
    sleep 0.1
  done
  sleep $(( secs / 4 ))
  t_inj=$(now_ms)
  echo "$name $t_inj" >"$marks"
  log "$name: injecting"
  note=$("inject_$name")
  log "$name: $note"
  wait "$load" || rc=$?
  res=$(grep '^RESULT' "$work/$name.log" || true)
  if [ -z "$res" ]; then
    log "$name: bankload failed:"; tail -20 "$work/$name.log" >&2
    rows+=("| $name | $note | bankload failed (exit $rc) | | | | | | | | |")
    failures=$((failures + 1))
    return
  fi
  # shellcheck disable=SC2034 # set by the eval of bankload's RESULT line
  local requests failed attempts failed_attempts retried transfers lost duplicated replay_mismatch negative money_ok ledger_verify recovery verdict=pass
  eval "$(echo "$res" | tr ' ' '\n' | grep '=' | sed 's/^recovery_ms_[a-z]*=/recovery=/')"
  [ "$rc" = 0 ] || verdict="FAIL (ledger checks)"
  [ "${replay_mismatch:-0}" = 0 ] || verdict="FAIL (a replay answered another transfer)"
  [ "$name" = rolling ] && [ "$failed_attempts" != 0 ] && verdict="FAIL (failed requests during rolling restart)"
  [ "$name" = pgrestart ] && { [ "${recovery:--1}" -lt 0 ] || [ "$recovery" -gt 30000 ]; } && verdict="FAIL (recovery > 30 s)"
  [ "$verdict" = pass ] || failures=$((failures + 1))
  rows+=("| $name | $note | $requests | $failed | $failed_attempts | $retried | $transfers | $lost | $duplicated | $negative | $money_ok | $ledger_verify | ${recovery:-?} | $verdict |")
  log "$name: $verdict — $res"
}

for s in "${scenarios[@]}"; do
  declare -F "inject_$s" >/dev/null || { echo "unknown scenario $s (kill, rolling, pgrestart, replica)" >&2; exit 2; }
  run_scenario "$s"
done

{
  echo "Chaos run $(date -u +%Y-%m-%dT%H:%MZ), bankapp at commit $STACK_REV, ${secs} s of load per scenario at $clients clients, $users customers each."
  echo
  echo "| scenario | injected | requests | failed | failed attempts | retried | transfers 201 | lost | duplicated | negative | money = deposits − withdrawals | ledger verify | recovery ms | verdict |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---|"
  printf '%s\n' "${rows[@]}"
} | tee "$out"
[ "$failures" = 0 ] || { log "$failures scenario(s) failed"; exit 1; }
