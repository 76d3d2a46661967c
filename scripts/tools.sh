#!/usr/bin/env bash
# tools.sh installs the pinned lint tools (once) and prints where they are.
#
# Usage: bash scripts/tools.sh [--quiet]          lint tools
#        bash scripts/tools.sh [--quiet] mailpit  Mailpit for the local stack (prints MAILPIT=...)
#
# Each tool is built from the Go module proxy with `go install pkg@version`
# into ~/.cache/bankapp/tools/<tool>-<version>/bin/, and the offline Go
# vulnerability database is built from the golang.org/x/vulndb module into
# ~/.cache/bankapp/tools/vulndb-<version>/db. A finished directory is never
# touched again, so a second run only checks that the files exist (< 1 s).
# Binaries are rebuilt when the Go toolchain version changes, since
# staticcheck and gosec type-check with the standard library they were
# built with.
#
# Stdout: shell assignments (values quoted with printf %q), for eval:
#   STATICCHECK=... GOSEC=... GOVULNCHECK=... VULNDB_DIR=... VULNDB_URL=file://...
# Stderr: progress and, on failure, the build log.
# Override the cache with BANKAPP_TOOLS_DIR. Nothing here reads or writes the
# repository's go.mod: builds run in a temporary directory with GOWORK=off.
set -euo pipefail

STATICCHECK_VERSION=v0.8.2       # honnef.co/go/tools = staticcheck 2026.2.2 (needs go >= 1.26)
GOSEC_VERSION=v2.30.0            # github.com/securego/gosec/v2
GOVULNCHECK_VERSION=v1.9.0       # golang.org/x/vuln
VULNDB_VERSION=v0.0.0-20261105234957-e22db6528018 # golang.org/x/vulndb (data/osv + cmd/indexdb)

MAILPIT_VERSION=v1.33.1          # github.com/axllent/mailpit (the local stack's SMTP server and web UI)

quiet=false
if [[ "${1:-}" == "--quiet" ]]; then quiet=true; shift; fi
want=${1:-lint}
[[ $want == lint || $want == mailpit ]] || { printf 'tools: unknown tool set %q (lint or mailpit)\n' "$want" >&2; exit 2; }

log() { if ! $quiet; then printf 'tools: %s\n' "$*" >&2; fi; }
die() { printf 'tools: error: %s\n' "$*" >&2; exit 1; }

command -v go >/dev/null 2>&1 || die "go is not on PATH"

TOOLS_DIR="${BANKAPP_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bankapp/tools}"
mkdir -p "$TOOLS_DIR/bin"
GO_VERSION="$(go env GOVERSION)"

# Builds of the tools must not see this repository's module or workspace,
# must not switch toolchains behind our back, and must not inherit a
# -mod=... setting (go install pkg@version rejects it).
export GOWORK=off GOTOOLCHAIN=local GOFLAGS=-buildvcs=false
workdir="$(mktemp -d "$TOOLS_DIR/.work.XXXXXX")"
trap 'rm -rf "$workdir"' EXIT

# ready DIR: true if DIR was finished by this Go version.
ready() { [[ -f "$1/.go-version" && "$(<"$1/.go-version")" == "$GO_VERSION" ]]; }

# go_tool NAME PKG VERSION: make $TOOLS_DIR/NAME-VERSION/bin/NAME exist.
go_tool() {
	local name=$1 pkg=$2 version=$3
	local dest="$TOOLS_DIR/$name-$version"
	if ready "$dest"; then return 0; fi
	log "building $name $version with $GO_VERSION (one time; gosec takes minutes)"
	local tmp="$workdir/$name"
	mkdir -p "$tmp/bin"
	if ! (cd "$workdir" && GOBIN="$tmp/bin" go install "$pkg@$version") >"$workdir/$name.log" 2>&1; then
		cat "$workdir/$name.log" >&2
		die "go install $pkg@$version failed"
	fi
	printf '%s\n' "$GO_VERSION" >"$tmp/.go-version"
	rm -rf "$dest"
	mv "$tmp" "$dest"
}

# vulndb: build the v1 database from the vulndb module's data/osv folder.
vulndb() {
	local dest="$TOOLS_DIR/vulndb-$VULNDB_VERSION"
	if [[ -f "$dest/db/index/db.json" ]]; then return 0; fi
	go_tool indexdb golang.org/x/vulndb/cmd/indexdb "$VULNDB_VERSION"
	log "building vulnerability database $VULNDB_VERSION"
	local src
	src="$(cd "$workdir" && go mod download -json "golang.org/x/vulndb@$VULNDB_VERSION" |
		sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
	[[ -d "$src/data/osv" ]] || die "vulndb module has no data/osv (Dir=$src)"
	local tmp="$workdir/vulndb"
	mkdir -p "$tmp"
	"$TOOLS_DIR/indexdb-$VULNDB_VERSION/bin/indexdb" -vulns "$src/data/osv" -out "$tmp/db" \
		|| die "indexdb failed"
	[[ -f "$tmp/db/index/db.json" ]] || die "indexdb wrote no index/db.json"
	rm -rf "$dest"
	mv "$tmp" "$dest"
}

# mailpit: Mailpit with its web UI. `go install` alone gives a binary whose
# UI is an empty page (the Go module ships the UI's sources, not the built
# bundle), so: the module's source from the module proxy, its UI bundled with
# esbuild from the npm registry (only what the bundle needs: the lint and
# end-to-end test packages and the API-docs page are left out), then go build.
# Without node/npm, or if the bundle fails, the binary is built without the UI
# (SMTP and the HTTP API still work) and a warning says so.
mailpit() {
	local dest="$TOOLS_DIR/mailpit-$MAILPIT_VERSION"
	if ready "$dest"; then return 0; fi
	log "building mailpit $MAILPIT_VERSION with its web UI (one time; several minutes)"
	local src tmp="$workdir/mailpit"
	src="$(cd "$workdir" && go mod download -json "github.com/axllent/mailpit@$MAILPIT_VERSION" |
		sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
	[[ -f "$src/main.go" ]] || die "mailpit module has no main.go (Dir=$src)"
	mkdir -p "$tmp/bin"
	cp -r "$src" "$tmp/src" && chmod -R u+w "$tmp/src"
	local ui=with
	if command -v npm >/dev/null 2>&1 && (
		cd "$tmp/src" &&
			node -e '
				const fs = require("fs"), p = JSON.parse(fs.readFileSync("package.json"));
				delete p.dependencies.rapidoc;
				const keep = ["esbuild", "esbuild-plugin-vue-next", "esbuild-sass-plugin", "@vue/compiler-sfc"];
				for (const k of Object.keys(p.devDependencies)) if (!keep.includes(k)) delete p.devDependencies[k];
				fs.writeFileSync("package.json", JSON.stringify(p, null, 2));' &&
			sed -i 's#entryPoints: \[[^]]*\]#entryPoints: ["server/ui-src/app.js"]#' esbuild.config.mjs &&
			rm -f package-lock.json &&
			npm install --ignore-scripts --no-audit --no-fund &&
			MINIFY=true node esbuild.config.mjs &&
			[[ -f server/ui/dist/app.js ]]
	) >"$workdir/mailpit-ui.log" 2>&1; then :; else
		ui=without
		printf 'tools: warning: mailpit web UI not built (see below); SMTP and the API still work\n' >&2
		tail -n 20 "$workdir/mailpit-ui.log" >&2
	fi
	if ! (cd "$tmp/src" && CGO_ENABLED=0 go build -trimpath \
		-ldflags "-s -w -X github.com/axllent/mailpit/config.Version=$MAILPIT_VERSION" -o "$tmp/bin/mailpit" .) \
		>"$workdir/mailpit.log" 2>&1; then
		cat "$workdir/mailpit.log" >&2
		die "building mailpit $MAILPIT_VERSION failed"
	fi
	rm -rf "$tmp/src"
	printf '%s\n' "$GO_VERSION" >"$tmp/.go-version"
	rm -rf "$dest"
	mv "$tmp" "$dest"
	log "mailpit $MAILPIT_VERSION built $ui its web UI"
}

# Several CI jobs or terminals may run this at once: one builds, others wait.
exec 9>"$TOOLS_DIR/.lock"
if [[ $want == mailpit ]]; then
	if ! ready "$TOOLS_DIR/mailpit-$MAILPIT_VERSION"; then
		if command -v flock >/dev/null 2>&1; then flock 9; fi
		mailpit
	fi
	printf 'MAILPIT=%q\n' "$TOOLS_DIR/mailpit-$MAILPIT_VERSION/bin/mailpit"
	exit 0
fi
if ! ready "$TOOLS_DIR/staticcheck-$STATICCHECK_VERSION" ||
	! ready "$TOOLS_DIR/gosec-$GOSEC_VERSION" ||
	! ready "$TOOLS_DIR/govulncheck-$GOVULNCHECK_VERSION" ||
	[[ ! -f "$TOOLS_DIR/vulndb-$VULNDB_VERSION/db/index/db.json" ]]; then
	if command -v flock >/dev/null 2>&1; then flock 9; fi
	start=$SECONDS
	# Build in parallel: downloads overlap and the Go build cache is shared.
	pids=()
	go_tool staticcheck honnef.co/go/tools/cmd/staticcheck "$STATICCHECK_VERSION" & pids+=($!)
	go_tool govulncheck golang.org/x/vuln/cmd/govulncheck "$GOVULNCHECK_VERSION" & pids+=($!)
	vulndb & pids+=($!)
	go_tool gosec github.com/securego/gosec/v2/cmd/gosec "$GOSEC_VERSION" & pids+=($!)
	failed=0
	for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
	[[ $failed == 0 ]] || die "some tools failed to install (see above)"
	log "installed in $((SECONDS - start)) s under $TOOLS_DIR"
fi

for t in staticcheck:$STATICCHECK_VERSION gosec:$GOSEC_VERSION govulncheck:$GOVULNCHECK_VERSION; do
	name=${t%%:*} version=${t#*:}
	ln -sfn "../$name-$version/bin/$name" "$TOOLS_DIR/bin/$name"
done

db="$TOOLS_DIR/vulndb-$VULNDB_VERSION/db"
printf 'STATICCHECK=%q\n' "$TOOLS_DIR/staticcheck-$STATICCHECK_VERSION/bin/staticcheck"
printf 'GOSEC=%q\n' "$TOOLS_DIR/gosec-$GOSEC_VERSION/bin/gosec"
printf 'GOVULNCHECK=%q\n' "$TOOLS_DIR/govulncheck-$GOVULNCHECK_VERSION/bin/govulncheck"
printf 'VULNDB_DIR=%q\n' "$db"
printf 'VULNDB_URL=%q\n' "file://$db"
printf 'STATICCHECK_VERSION=%q GOSEC_VERSION=%q GOVULNCHECK_VERSION=%q VULNDB_VERSION=%q\n' \
	"$STATICCHECK_VERSION" "$GOSEC_VERSION" "$GOVULNCHECK_VERSION" "$VULNDB_VERSION"
