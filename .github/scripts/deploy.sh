#!/usr/bin/env bash
# deploy.sh STEP: one step of .github/workflows/_deploy.yml. Reads the
# environment variables that the workflow sets from the GitHub environment.
set -euo pipefail

IMAGE="$ECR_REPOSITORY_URL:$IMAGE_TAG"
REPO_NAME=${ECR_REPOSITORY_URL#*/}
STATE=${RUNNER_TEMP:-/tmp}/bankapp-deploy
mkdir -p "$STATE"

log() { printf '::notice::%s\n' "$*"; }

# Seconds between polls of AWS (tests set 0).
POLL_SECONDS=${DEPLOY_POLL_SECONDS:-15}

# image-exists: is IMAGE_TAG already in the repository? Writes exists=true
# or exists=false to $GITHUB_OUTPUT. The repository's tags are immutable and
# a rebuild is not byte-identical, so a re-run or a rollback to an earlier
# commit must not build and push again (the push would be refused).
image_exists() {
	local out err exists
	err=$STATE/describe-images.err
	if out=$(aws ecr describe-images --repository-name "$REPO_NAME" --image-ids "imageTag=$IMAGE_TAG" --output json 2>"$err"); then
		exists=$(jq -r --arg tag "$IMAGE_TAG" '[.imageDetails[]? | select((.imageTags // []) | index($tag))] | length > 0' <<<"$out")
	elif grep -q ImageNotFoundException "$err"; then
		exists=false
	else
		cat "$err" >&2
		exit 1
	fi
	if [[ $exists == true ]]; then
		log "image $IMAGE exists: not building it again"
	fi
	echo "exists=$exists" >>"${GITHUB_OUTPUT:-/dev/stdout}"
}

# scan: wait for the image's scan and refuse HIGH/CRITICAL findings. With
# enhanced scanning (Amazon Inspector, modules/ecr) a finished scan reports
# ACTIVE (it is kept up to date), basic scanning COMPLETE; the aws ecr wait
# image-scan-complete waiter knows only COMPLETE.
scan() {
	local out status counts i
	for i in $(seq 1 "${SCAN_POLLS:-80}"); do
		out=$(aws ecr describe-image-scan-findings --repository-name "$REPO_NAME" --image-id "imageTag=$IMAGE_TAG" --output json)
		status=$(jq -r '.imageScanStatus.status // "PENDING"' <<<"$out")
		case $status in
		COMPLETE | ACTIVE) break ;;
		PENDING | IN_PROGRESS | SCAN_ELIGIBILITY_EXPIRED_PENDING) sleep "$POLL_SECONDS" ;;
		*)
			echo "::error::scan of $IMAGE: $status ($(jq -r '.imageScanStatus.description // ""' <<<"$out"))"
			exit 1
			;;
		esac
	done
	if [[ $status != COMPLETE && $status != ACTIVE ]]; then
		echo "::error::scan of $IMAGE did not finish ($status after $i polls)"
		exit 1
	fi
	counts=$(jq -c '.imageScanFindings.findingSeverityCounts // {}' <<<"$out")
	echo "scan findings: $counts"
	if [[ $(jq '(.HIGH // 0) + (.CRITICAL // 0)' <<<"$counts") != 0 ]]; then
		echo "::error::image $IMAGE has HIGH/CRITICAL findings"
		exit 1
	fi
}

# snapshot: a manual snapshot before migrations touch the database.
snapshot() {
	local id stamp
	stamp=$(date -u +%Y%m%d%H%M%S)
	id="${DB_INSTANCE_ID}-predeploy-${IMAGE_TAG:0:12}-$stamp"
	aws rds create-db-snapshot --db-instance-identifier "$DB_INSTANCE_ID" --db-snapshot-identifier "$id" \
		--tags Key=Reason,Value=pre-deploy "Key=Commit,Value=$IMAGE_TAG" >/dev/null
	log "waiting for snapshot $id"
	aws rds wait db-snapshot-available --db-snapshot-identifier "$id"
	echo "$id" >"$STATE/snapshot"
}

# register: a new revision of the task family with the new image.
register() {
	aws ecs describe-task-definition --task-definition "$ECS_TASK_FAMILY" --query taskDefinition --output json |
		jq --arg image "$IMAGE" '.containerDefinitions |= map(if .name == "bankapp" then .image = $image else . end)
			| del(.taskDefinitionArn, .revision, .status, .requiresAttributes, .compatibilities, .registeredAt, .registeredBy)' \
			>"$STATE/taskdef.json"
	aws ecs register-task-definition --cli-input-json "file://$STATE/taskdef.json" \
		--query taskDefinition.taskDefinitionArn --output text >"$STATE/taskdef-arn"
	log "registered $(cat "$STATE/taskdef-arn")"
}

# migrate: `bankapp migrate up` as a one-off task; fail on a non-zero exit.
migrate() {
	local net task code
	net="awsvpcConfiguration={subnets=[$ECS_SUBNETS],securityGroups=[$ECS_SECURITY_GROUP],assignPublicIp=DISABLED}"
	task=$(aws ecs run-task --cluster "$ECS_CLUSTER" --task-definition "$(cat "$STATE/taskdef-arn")" \
		--launch-type FARGATE --network-configuration "$net" --started-by "migrate-${IMAGE_TAG:0:12}" \
		--overrides '{"containerOverrides":[{"name":"bankapp","command":["migrate","up"]}]}' \
		--query 'tasks[0].taskArn' --output text)
	log "migration task $task"
	aws ecs wait tasks-stopped --cluster "$ECS_CLUSTER" --tasks "$task"
	# shellcheck disable=SC2016 # backquotes are JMESPath literals, not shell
	code=$(aws ecs describe-tasks --cluster "$ECS_CLUSTER" --tasks "$task" \
		--query 'tasks[0].containers[?name==`bankapp`].exitCode | [0]' --output text)
	if [[ $code != 0 ]]; then
		echo "::error::migration task exited with $code"
		exit 1
	fi
}

# rolling: ECS rolling update; the circuit breaker rolls back failed tasks.
# After a rollback the service is stable and its PRIMARY deployment is
# COMPLETED — but it is the rollback, on the previous task definition
# (aws-actions/amazon-ecs-deploy-task-definition#191). Success means the
# PRIMARY deployment runs the task definition just registered, COMPLETED.
rolling() {
	local want out primary td state
	want=$(cat "$STATE/taskdef-arn")
	aws ecs update-service --cluster "$ECS_CLUSTER" --service "$ECS_SERVICE" --task-definition "$want" >/dev/null
	# The waiter gives up after 10 minutes; the circuit breaker may take
	# longer, so a timeout is not an answer: read the deployments.
	aws ecs wait services-stable --cluster "$ECS_CLUSTER" --services "$ECS_SERVICE" ||
		log "services-stable gave up waiting; reading the deployment state"
	out=$(aws ecs describe-services --cluster "$ECS_CLUSTER" --services "$ECS_SERVICE" --output json)
	primary=$(jq -c '[.services[0].deployments[]? | select(.status == "PRIMARY")][0] // {}' <<<"$out")
	td=$(jq -r '.taskDefinition // ""' <<<"$primary")
	state=$(jq -r '.rolloutState // ""' <<<"$primary")
	if [[ $td != "$want" ]]; then
		echo "::error::the service runs $td, not $want: the deployment failed and was rolled back ($(jq -r '.rolloutStateReason // ""' <<<"$primary"))"
		jq -r '.services[0].deployments[]? | "  \(.status) \(.taskDefinition) \(.rolloutState // "") \(.rolloutStateReason // "")"' <<<"$out"
		exit 1
	fi
	if [[ $state != COMPLETED ]]; then
		echo "::error::deployment of $want ended $state: $(jq -r '.rolloutStateReason // ""' <<<"$primary")"
		exit 1
	fi
	log "deployment of $want COMPLETED"
}

# blue-green: CodeDeploy shifts traffic to the green task set; alarms in the
# deployment group stop it and roll back.
blue_green() {
	jq -n --arg td "$(cat "$STATE/taskdef-arn")" '{
		version: 0.0,
		Resources: [{TargetService: {Type: "AWS::ECS::Service", Properties: {
			TaskDefinition: $td,
			LoadBalancerInfo: {ContainerName: "bankapp", ContainerPort: 3001}
		}}}]
	}' >"$STATE/appspec.json"
	local id
	id=$(aws deploy create-deployment --application-name "$CODEDEPLOY_APP" \
		--deployment-group-name "$CODEDEPLOY_GROUP" \
		--revision "revisionType=AppSpecContent,appSpecContent={content='$(jq -c . "$STATE/appspec.json")'}" \
		--description "bankapp $IMAGE_TAG" --query deploymentId --output text)
	log "CodeDeploy deployment $id"
	if ! aws deploy wait deployment-successful --deployment-id "$id"; then
		aws deploy get-deployment --deployment-id "$id" --query 'deploymentInfo.[status,errorInformation]' --output json
		echo "::error::blue/green deployment $id failed or was rolled back"
		exit 1
	fi
}

# frontend: the web build to S3; CloudFront (staging/prod) is invalidated.
# Without CloudFront (dev) there is no bucket: the app serves the build
# embedded in its image. maintenance/ belongs to Terraform (modules/frontend).
frontend() {
	if [[ -z ${FRONTEND_BUCKET:-} ]]; then
		log "no frontend bucket: the app serves its embedded web build"
		return 0
	fi
	(cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build)
	aws s3 sync web/dist "s3://$FRONTEND_BUCKET/" --delete --exclude index.html --exclude 'maintenance/*' \
		--cache-control "public, max-age=31536000, immutable"
	aws s3 cp web/dist/index.html "s3://$FRONTEND_BUCKET/index.html" --cache-control "no-cache"
	if [[ -n ${CLOUDFRONT_DISTRIBUTION:-} ]]; then
		aws cloudfront create-invalidation --distribution-id "$CLOUDFRONT_DISTRIBUTION" --paths "/index.html" >/dev/null
	fi
}

# smoke: liveness, readiness and the deployed version through the public URL.
smoke() {
	local i
	for i in $(seq 1 30); do
		if curl -fsS --max-time 5 "$APP_URL/healthz" >/dev/null && curl -fsS --max-time 5 "$APP_URL/readyz" >/dev/null; then
			log "smoke test passed on try $i"
			return 0
		fi
		sleep "${SMOKE_SLEEP_SECONDS:-10}"
	done
	echo "::error::$APP_URL did not become ready"
	exit 1
}

case ${1:-} in
scan | snapshot | register | migrate | rolling | frontend | smoke) "$1" ;;
image-exists) image_exists ;;
blue-green) blue_green ;;
*)
	echo "usage: deploy.sh image-exists|scan|snapshot|register|migrate|rolling|blue-green|frontend|smoke" >&2
	exit 2
	;;
esac
