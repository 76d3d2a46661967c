#!/usr/bin/env bash
# deploy.sh STEP: one step of .github/workflows/_deploy.yml. Reads the
# environment variables that the workflow sets from the GitHub environment.
set -euo pipefail

IMAGE="$ECR_REPOSITORY_URL:$IMAGE_TAG"
REPO_NAME=${ECR_REPOSITORY_URL#*/}
STATE=${RUNNER_TEMP:-/tmp}/bankapp-deploy
mkdir -p "$STATE"

log() { printf '::notice::%s\n' "$*"; }

# scan: wait for the scan-on-push result and refuse HIGH/CRITICAL findings.
scan() {
	aws ecr wait image-scan-complete --repository-name "$REPO_NAME" --image-id "imageTag=$IMAGE_TAG"
	local counts
	counts=$(aws ecr describe-image-scan-findings --repository-name "$REPO_NAME" --image-id "imageTag=$IMAGE_TAG" \
		--query 'imageScanFindings.findingSeverityCounts' --output json)
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
rolling() {
	aws ecs update-service --cluster "$ECS_CLUSTER" --service "$ECS_SERVICE" \
		--task-definition "$(cat "$STATE/taskdef-arn")" >/dev/null
	aws ecs wait services-stable --cluster "$ECS_CLUSTER" --services "$ECS_SERVICE"
	local state
	# shellcheck disable=SC2016 # backquotes are JMESPath literals, not shell
	state=$(aws ecs describe-services --cluster "$ECS_CLUSTER" --services "$ECS_SERVICE" \
		--query 'services[0].deployments[?status==`PRIMARY`].rolloutState | [0]' --output text)
	if [[ $state != COMPLETED ]]; then
		echo "::error::deployment ended $state (the circuit breaker rolled it back)"
		exit 1
	fi
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
frontend() {
	(cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build)
	aws s3 sync web/dist "s3://$FRONTEND_BUCKET/" --delete --exclude index.html \
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
		sleep 10
	done
	echo "::error::$APP_URL did not become ready"
	exit 1
}

case ${1:-} in
scan | snapshot | register | migrate | rolling | frontend | smoke) "$1" ;;
blue-green) blue_green ;;
*)
	echo "usage: deploy.sh scan|snapshot|register|migrate|rolling|blue-green|frontend|smoke" >&2
	exit 2
	;;
esac
