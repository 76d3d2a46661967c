#!/usr/bin/env bash
# The checks below are eval'd strings (single-quoted on purpose); gh is read by them.
# shellcheck disable=SC2016,SC2034
# deploy_test.sh: the logic of deploy.sh against a fake `aws` on PATH that
# answers with recorded AWS CLI output (testdata/<scenario>/, shapes as the
# AWS CLI prints them). Run by scripts/infra-test.sh. No AWS, no network.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/bin"
cp "$HERE/testdata/fake-aws" "$WORK/bin/aws"

pass=0 fail=0
TD=arn:aws:ecs:us-east-1:123456789012:task-definition/bankapp-dev

# run SCENARIO STEP: deploy.sh STEP with the scenario's recorded answers;
# sets $rc, $out (stdout+stderr) and $gh (what it wrote to GITHUB_OUTPUT).
run() {
	local scenario=$1 step=$2 dir=$WORK/$1-$2
	rm -rf "$dir"
	mkdir -p "$dir/runner/bankapp-deploy"
	cp -r "$HERE/testdata/$scenario/." "$dir/"
	echo "$TD:42" >"$dir/runner/bankapp-deploy/taskdef-arn"
	: >"$dir/github_output"
	set +e
	out=$(cd "$dir" && PATH="$WORK/bin:$PATH" FAKE_AWS=$dir RUNNER_TEMP=$dir/runner GITHUB_OUTPUT=$dir/github_output \
		ECR_REPOSITORY_URL=123456789012.dkr.ecr.us-east-1.amazonaws.com/bankapp-dev \
		IMAGE_TAG=3f1c2a9d8e7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d ECS_CLUSTER=bankapp-dev ECS_SERVICE=bankapp-dev \
		DEPLOY_POLL_SECONDS=0 SCAN_POLLS=5 bash "$HERE/deploy.sh" "$step" 2>&1)
	rc=$?
	set -e
	gh=$(cat "$dir/github_output")
	calls=$(cat "$dir/calls" 2>/dev/null || true)
}

# expect NAME COND: records a pass or a failure with the run's output.
expect() {
	local name=$1
	shift
	if "$@"; then
		pass=$((pass + 1))
		echo "ok   $name"
	else
		fail=$((fail + 1))
		echo "FAIL $name (exit $rc)"
		while IFS= read -r line; do echo "     | $line"; done <<<"$out"
	fi
}
has() { grep -qF -- "$1" <<<"$2"; }

run rolling-ok rolling
expect "rolling: new task definition PRIMARY and COMPLETED passes" [ "$rc" = 0 ]
expect "rolling: updates the service to the registered revision" has "ecs update-service --cluster bankapp-dev --service bankapp-dev --task-definition $TD:42" "$calls"

run rolling-rolled-back rolling
expect "rolling: a circuit-breaker rollback (PRIMARY COMPLETED on the old revision) fails" [ "$rc" = 1 ]
expect "rolling: the error names the revision that runs and why" has "runs $TD:41, not $TD:42" "$out"
expect "rolling: the failed deployment's reason is shown" has "circuit breaker: tasks failed to start" "$out"

run rolling-stuck rolling
expect "rolling: waiter timeout with the deployment IN_PROGRESS fails" [ "$rc" = 1 ]
expect "rolling: says the rollout did not complete" has "ended IN_PROGRESS" "$out"

run image-present image-exists
expect "image-exists: a pushed tag is found" eval '[ "$rc" = 0 ] && [ "$gh" = "exists=true" ]'
expect "image-exists: asks for the commit's tag" has "ecr describe-images --repository-name bankapp-dev --image-ids imageTag=3f1c2a9d8e7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d" "$calls"

run image-absent image-exists
expect "image-exists: ImageNotFoundException means build it" eval '[ "$rc" = 0 ] && [ "$gh" = "exists=false" ]'

run image-denied image-exists
expect "image-exists: any other error stops the deploy" eval '[ "$rc" = 1 ] && [ -z "$gh" ]'
expect "image-exists: the CLI's error is shown" has "AccessDeniedException" "$out"

run scan-enhanced-clean scan
expect "scan: enhanced PENDING then ACTIVE without HIGH/CRITICAL passes" [ "$rc" = 0 ]
expect "scan: polled until the scan finished" [ "$(grep -c 'describe-image-scan-findings' <<<"$calls")" = 2 ]

run scan-enhanced-high scan
expect "scan: an enhanced HIGH finding (Go stdlib) fails" eval '[ "$rc" = 1 ] && has "HIGH/CRITICAL" "$out"'

run scan-failed scan
expect "scan: a failed scan fails" eval '[ "$rc" = 1 ] && has "FAILED" "$out"'

run scan-basic-complete scan
expect "scan: basic COMPLETE without findings passes" [ "$rc" = 0 ]

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
