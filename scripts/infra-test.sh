#!/usr/bin/env bash
# infra-test.sh: validate the AWS platform code fully offline.
#
#   terraform fmt -check; init + validate + plan of dev, staging and prod
#   (and of each with debug_port_forwarding=true)
#   through the schema-only AWS provider (tools/tfprovider); terraform test
#   with mock providers; the seed table test on the plan JSON; tfsec (no
#   unsuppressed HIGH/CRITICAL); tflint + AWS ruleset; deploy.sh's logic
#   against a fake aws; actionlint; the provider's own tests.
#
# Tools are built from the Go module proxy once and cached under
# $BANKAPP_TOOLS_CACHE (default ~/.cache/bankapp/tools), keyed by version.
# docs/infra-testing.md explains the whole path.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${BANKAPP_TOOLS_CACHE:-$HOME/.cache/bankapp/tools}
TF_DIR=$ROOT/deploy/terraform
ENVS=(dev staging prod)

TFSEC_VERSION=v1.26.0
TFLINT_VERSION=v0.54.0
TFLINT_AWS_VERSION=v0.36.0 # also the source of the hashicorp/aws 5.80.0 schema
ACTIONLINT_VERSION=v1.7.12
OPENTOFU_VERSION=v1.10.10 # only when no terraform binary is installed
AWS_PROVIDER_VERSION=5.80.0

export GOFLAGS=${GOFLAGS:--buildvcs=false}
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0
mkdir -p "$CACHE"

START=$SECONDS
step() { printf '\n==> [%4ss] %s\n' "$((SECONDS - START))" "$*"; }

# go_tool NAME VERSION PACKAGE: go install PACKAGE@VERSION into the cache.
go_tool() {
	local name=$1 version=$2 pkg=$3 dir=$CACHE/$1-$2
	if [[ ! -x $dir/$name ]]; then
		GOBIN=$dir.tmp go install "$pkg@$version" && mv "$dir.tmp" "$dir"
	fi
}

# The AWS ruleset's go.mod forbids `go install pkg@version` from the proxy's
# version list, so it is built from its downloaded module source instead.
build_ruleset() {
	local dir=$CACHE/tflint-ruleset-aws-$TFLINT_AWS_VERSION src
	if [[ ! -x $dir/tflint-ruleset-aws ]]; then
		src=$(module_dir github.com/terraform-linters/tflint-ruleset-aws "$TFLINT_AWS_VERSION")
		mkdir -p "$dir.tmp"
		(cd "$src" && go build -trimpath -o "$dir.tmp/tflint-ruleset-aws" .)
		mv "$dir.tmp" "$dir"
	fi
}

module_dir() {
	go mod download -json "$1@$2" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'
}

# The schema-only provider, keyed by its source and the schema version, laid
# out as a filesystem mirror for both registries' names of hashicorp/aws.
build_provider() {
	local key
	key=$(cd "$ROOT/tools/tfprovider" && cat go.mod go.sum ./*.go | sha256sum | cut -c1-16)
	MIRROR=$CACHE/tfprovider-$AWS_PROVIDER_VERSION-$key
	if [[ ! -d $MIRROR ]]; then
		local schema tmp=$MIRROR.tmp host
		schema=$(module_dir github.com/terraform-linters/tflint-ruleset-aws "$TFLINT_AWS_VERSION")/tools/provider-schema/schema.json
		for host in registry.terraform.io registry.opentofu.org; do
			local plat=$tmp/$host/hashicorp/aws/$AWS_PROVIDER_VERSION/linux_amd64
			mkdir -p "$plat"
			(cd "$ROOT/tools/tfprovider" && CGO_ENABLED=0 go build -trimpath -o "$plat/terraform-provider-aws_v$AWS_PROVIDER_VERSION" .)
			cp "$schema" "$plat/schema.json"
		done
		mv "$tmp" "$MIRROR"
	fi
}

# terraform when installed; otherwise OpenTofu built from its module source
# (its go.mod has a replace directive, so `go install @version` refuses it).
find_terraform() {
	if command -v terraform >/dev/null; then
		TF=$(command -v terraform)
		return
	fi
	local dir=$CACHE/tofu-$OPENTOFU_VERSION src
	if [[ ! -x $dir/tofu ]]; then
		src=$(module_dir github.com/opentofu/opentofu "$OPENTOFU_VERSION")
		mkdir -p "$dir.tmp"
		(cd "$src" && CGO_ENABLED=0 go build -trimpath -o "$dir.tmp/tofu" ./cmd/tofu)
		mv "$dir.tmp" "$dir"
	fi
	TF=$dir/tofu
}

# actionlint runs shellcheck on `run:` blocks when it is installed.
ensure_shellcheck() {
	command -v shellcheck >/dev/null && return
	if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck) >/dev/null 2>&1 ||
			echo "infra-test: shellcheck not installed; actionlint checks run: blocks without it"
	fi
}

step "build tools (cache: $CACHE)"
pids=()
go_tool tfsec "$TFSEC_VERSION" github.com/aquasecurity/tfsec/cmd/tfsec & pids+=($!)
go_tool tflint "$TFLINT_VERSION" github.com/terraform-linters/tflint & pids+=($!)
go_tool actionlint "$ACTIONLINT_VERSION" github.com/rhysd/actionlint/cmd/actionlint & pids+=($!)
build_ruleset & pids+=($!)
ensure_shellcheck & pids+=($!)
for p in "${pids[@]}"; do wait "$p"; done
build_provider
find_terraform
"$TF" version | sed -n 1p # sed reads it all: head could exit first and SIGPIPE terraform (exit 141 under pipefail)

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cat >"$WORK/cli.tfrc" <<CFG
provider_installation {
  filesystem_mirror {
    path    = "$MIRROR"
    include = ["registry.terraform.io/hashicorp/aws", "registry.opentofu.org/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/aws", "registry.opentofu.org/hashicorp/aws"]
  }
}
CFG
export TF_CLI_CONFIG_FILE=$WORK/cli.tfrc

step "terraform fmt -check"
"$TF" fmt -check -recursive -diff "$TF_DIR"

# A copy keeps .terraform/ and plans out of the tree; the override swaps
# the S3 backend for a local one (nothing to reach offline).
cp -r "$TF_DIR" "$WORK/tf"
mkdir -p "$WORK/plans"

check_env() {
	local env=$1 dir=$WORK/tf/envs/$1
	printf 'terraform {\n  backend "local" {}\n}\n' >"$dir/backend_override.tf"
	(
		cd "$dir"
		"$TF" init -input=false -no-color >init.log
		"$TF" validate -no-color
		"$TF" plan -input=false -no-color -out=plan.bin >plan.log
		grep -E '^Plan:' plan.log
		"$TF" show -json plan.bin >"$WORK/plans/$env.json"
		# The same root with the profiling toggle on (seedtest's
		# TestDebugPortForwarding; docs/runbooks/profiling.md).
		"$TF" plan -input=false -no-color -var debug_port_forwarding=true -out=plan-debug.bin >plan-debug.log
		"$TF" show -json plan-debug.bin >"$WORK/plans/$env-debug.json"
		"$TF" test -no-color
	) >"$WORK/$env.log" 2>&1
}

step "init + validate + plan + test: ${ENVS[*]} and bootstrap"
pids=()
for env in "${ENVS[@]}"; do check_env "$env" & pids+=($!); done
(cd "$WORK/tf/bootstrap" && "$TF" init -backend=false -input=false -no-color >init.log && "$TF" validate -no-color) >"$WORK/bootstrap.log" 2>&1 & pids+=($!)
fail=0
for i in "${!pids[@]}"; do
	name=${ENVS[$i]:-bootstrap}
	if wait "${pids[$i]}"; then
		echo "--- $name: ok"; grep -E '^(Plan:|Success|.*passed)' "$WORK/$name.log" | sed 's/^/    /' || true
	else
		echo "--- $name: FAILED"; cat "$WORK/$name.log"; fail=1
	fi
done
((fail == 0))

step "seed table test on the plans (deploy/terraform/seedtest)"
(cd "$TF_DIR/seedtest" && BANKAPP_PLAN_DIR=$WORK/plans go test -count=1 ./...)

step "tfsec: no unsuppressed HIGH/CRITICAL"
"$CACHE/tfsec-$TFSEC_VERSION/tfsec" "$TF_DIR" --no-color --minimum-severity HIGH --exclude-downloaded-modules --concise-output

step "tflint + AWS ruleset"
export TFLINT_PLUGIN_DIR=$WORK/tflint-plugins
mkdir -p "$TFLINT_PLUGIN_DIR"
ln -s "$CACHE/tflint-ruleset-aws-$TFLINT_AWS_VERSION/tflint-ruleset-aws" "$TFLINT_PLUGIN_DIR/tflint-ruleset-aws"
"$CACHE/tflint-$TFLINT_VERSION/tflint" --chdir="$TF_DIR" --recursive --config="$TF_DIR/.tflint.hcl" --no-color

step "deploy script logic against a fake aws (.github/scripts/deploy_test.sh)"
bash "$ROOT/.github/scripts/deploy_test.sh"

step "actionlint"
(cd "$ROOT" && "$CACHE/actionlint-$ACTIONLINT_VERSION/actionlint" -color=false)

step "schema-only provider tests (tools/tfprovider)"
(cd "$ROOT/tools/tfprovider" && TFPROVIDER_SCHEMA=$MIRROR/registry.terraform.io/hashicorp/aws/$AWS_PROVIDER_VERSION/linux_amd64/schema.json go test -count=1 ./...)

step "infra-test passed"
