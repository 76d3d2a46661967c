#!/usr/bin/env bash
# lint.sh runs every static check of the Go code; `make lint` and CI call it.
#
# Usage: bash scripts/lint.sh [gofmt] [vet] [staticcheck] [gosec] [govulncheck]
#   (no arguments: all of them, in that order)
#
# Every check runs even when an earlier one failed; a summary line per check
# closes the output, and the exit status is 1 if any check failed.
#
# Environment:
#   LINT_TAGS=a,b        build tags passed to vet, staticcheck, gosec, govulncheck
#   GOVULN_STDLIB=fail   also fail on standard-library vulnerabilities
#                        (default "warn": they are listed, not fatal; see docs/lint.md)
#   BANKAPP_TOOLS_DIR    tool cache (default ~/.cache/bankapp/tools), see tools.sh
#
# docs/lint.md explains the versions, the gosec policy and the offline
# vulnerability database.
set -uo pipefail
export GOTOOLCHAIN=${GOTOOLCHAIN:-go1.26.10} # see Makefile

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root" || exit 1

checks=("$@")
if ((${#checks[@]} == 0)); then checks=(gofmt vet staticcheck gosec govulncheck); fi

# gofmt and vet come with Go; the others are pinned and cached by tools.sh.
if [[ " ${checks[*]} " =~ \ (staticcheck|gosec|govulncheck)\  ]]; then
	tools_env="$(bash scripts/tools.sh --quiet)" || {
		echo "lint: installing the lint tools failed" >&2
		exit 1
	}
	eval "$tools_env"
fi

tags=()
if [[ -n "${LINT_TAGS:-}" ]]; then tags=(-tags "$LINT_TAGS"); fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

summary=()
failed=0

# record NAME STATUS SECONDS NOTE: remember one summary line.
record() {
	summary+=("$(printf '  %-12s %-5s %5ss  %s' "$1" "$2" "$3" "$4")")
	if [[ "$2" == FAIL ]]; then failed=1; fi
}

# elapsed START_NS: seconds since START_NS with one decimal.
elapsed() {
	local ms=$((($(date +%s%N) - $1) / 1000000))
	printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100))
}

header() { printf '\n== %s\n' "$1"; }

# count FILE: number of non-empty lines.
count() { grep -c . "$1" || true; }

run_gofmt() {
	header "gofmt -l"
	local t0 files=()
	t0=$(date +%s%N)
	# Tracked and new (not ignored) files, so node_modules and build output
	# are skipped; testdata may hold deliberately malformed Go.
	while IFS= read -r f; do
		[[ -f "$f" && "$f" != */testdata/* && "$f" != testdata/* ]] && files+=("$f")
	done < <(git ls-files --cached --others --exclude-standard -- '*.go' 2>/dev/null ||
		find . -name '*.go' -not -path './.git/*' -not -path '*/node_modules/*' -not -path '*/testdata/*')
	if ((${#files[@]} == 0)); then
		record gofmt ok "$(elapsed "$t0")" "no Go files"
		return
	fi
	gofmt -l "${files[@]}" >"$out/gofmt" 2>&1
	local rc=$? n
	cat "$out/gofmt"
	n=$(count "$out/gofmt")
	if ((rc != 0 || n > 0)); then
		record gofmt FAIL "$(elapsed "$t0")" "$n file(s) not gofmt'd (run: gofmt -w FILE)"
	else
		record gofmt ok "$(elapsed "$t0")" "${#files[@]} files"
	fi
}

run_vet() {
	header "go vet ./..."
	local t0
	t0=$(date +%s%N)
	go vet "${tags[@]}" ./... >"$out/vet" 2>&1
	local rc=$?
	cat "$out/vet"
	if ((rc != 0)); then
		record "go vet" FAIL "$(elapsed "$t0")" "$(grep -c '\.go:[0-9]' "$out/vet" || true) finding(s)"
	else
		record "go vet" ok "$(elapsed "$t0")" ""
	fi
}

run_staticcheck() {
	header "staticcheck ./...  ($STATICCHECK_VERSION)"
	local t0
	t0=$(date +%s%N)
	"$STATICCHECK" "${tags[@]}" ./... >"$out/staticcheck" 2>&1
	local rc=$?
	cat "$out/staticcheck"
	if ((rc != 0)); then
		record staticcheck FAIL "$(elapsed "$t0")" "$(count "$out/staticcheck") finding(s)"
	else
		record staticcheck ok "$(elapsed "$t0")" ""
	fi
}

run_gosec() {
	header "gosec ./...  ($GOSEC_VERSION)"
	local t0
	t0=$(date +%s%N)
	# No rule is excluded globally: a finding is fixed, or suppressed where it
	# occurs with `// #nosec G### -- reason` (both parts are required).
	# Test files are not scanned (gosec's default); see docs/lint.md.
	"$GOSEC" -quiet -fmt golint -color=false -exclude-generated \
		-nosec-require-rules -nosec-require-justification \
		"${tags[@]}" ./... >"$out/gosec" 2>&1
	local rc=$?
	sed "s|^$root/||" "$out/gosec"
	local n
	n=$(grep -c '(Rule:G[0-9]*' "$out/gosec" || true)
	if ((rc != 0)); then
		record gosec FAIL "$(elapsed "$t0")" "$n issue(s)"
	else
		record gosec ok "$(elapsed "$t0")" ""
	fi
}

run_govulncheck() {
	header "govulncheck ./...  ($GOVULNCHECK_VERSION, offline db $VULNDB_VERSION)"
	local t0
	t0=$(date +%s%N)
	"$GOVULNCHECK" -db "$VULNDB_URL" "${tags[@]}" ./... >"$out/vuln" 2>&1
	local rc=$?
	# Keep the log readable: at most 3 example traces per vulnerability.
	awk '/^Vulnerability #/ {if (more) printf "      ... %d more traces\n", more; n = 0; more = 0}
		/^      #[0-9]+: / {if (++n > 3) {more++; next}}
		/^$/ {if (more) printf "      ... %d more traces\n", more; more = 0}
		{print}' "$out/vuln"
	if ((rc == 0)); then
		record govulncheck ok "$(elapsed "$t0")" "no called vulnerabilities"
		return
	fi
	if ((rc != 3)); then # 3 = vulnerabilities found; anything else is an error
		record govulncheck FAIL "$(elapsed "$t0")" "govulncheck error (exit $rc)"
		return
	fi
	# Split the called vulnerabilities into standard library and modules.
	local std mod fixed
	std=$(awk '/^Vulnerability #/ {id=$3} /^  Standard library$/ {print id}' "$out/vuln" | sort -u)
	mod=$(awk '/^Vulnerability #/ {id=$3} /^  Module: / {print id}' "$out/vuln" | sort -u)
	fixed=$(sed -n 's/^ *Fixed in: [^@]*@\(go[0-9.]*\)$/\1/p' "$out/vuln" | sort -uV | tail -1)
	local nstd nmod
	nstd=$(grep -c . <<<"$std" || true)
	nmod=$(grep -c . <<<"$mod" || true)
	if ((nmod > 0)); then
		record govulncheck FAIL "$(elapsed "$t0")" "$nmod module vuln(s): ${mod//$'\n'/ } (go get the fixed version)"
	elif ((nstd > 0)) && [[ "${GOVULN_STDLIB:-warn}" == warn ]]; then
		record govulncheck warn "$(elapsed "$t0")" "$nstd stdlib vuln(s) of $(go env GOVERSION), fixed by ${fixed:-a newer Go}: ${std//$'\n'/ }"
	else
		record govulncheck FAIL "$(elapsed "$t0")" "$nstd stdlib vuln(s): ${std//$'\n'/ }"
	fi
}

for c in "${checks[@]}"; do
	case "$c" in
	gofmt | vet | staticcheck | gosec | govulncheck) "run_$c" ;;
	*) echo "lint: unknown check $c (gofmt vet staticcheck gosec govulncheck)" >&2; exit 2 ;;
	esac
done

printf '\nlint summary:\n'
printf '%s\n' "${summary[@]}"
if ((failed)); then
	printf 'lint: FAILED\n'
	exit 1
fi
printf 'lint: passed\n'
