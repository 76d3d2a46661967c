package seedtest

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// TestFirstApply checks, on each environment's plan, what AWS would refuse
// or break at the first apply or the first deploy on a fresh account, or a
// week later (issue 20). Each subtest fails on the Terraform before the fix.
func TestFirstApply(t *testing.T) {
	for _, env := range seed.envs {
		t.Run(env.name, func(t *testing.T) {
			p := loadPlan(t, env.name)
			t.Run("replica_of_self_managed_password", func(t *testing.T) { checkReplicaPassword(t, p) })
			t.Run("alb_certificate_covers_alias_names", func(t *testing.T) { checkALBCertificate(t, p) })
			t.Run("db_password_read_per_connection", func(t *testing.T) { checkPasswordPerConnection(t, p) })
			t.Run("no_failover_to_http_only_target", func(t *testing.T) { checkMaintenance(t, p, env) })
			t.Run("codedeploy_service_ignores_what_it_cannot_update", func(t *testing.T) { checkCodeDeployService(t, p, env) })
			t.Run("unhealthy_alarm_on_every_target_group", func(t *testing.T) { checkUnhealthyAlarm(t, p) })
			t.Run("health_checks_are_liveness", func(t *testing.T) { checkLiveness(t, p) })
			t.Run("no_spa_rewrite_of_api_errors", func(t *testing.T) { checkErrorResponses(t, p, env) })
			t.Run("deploy_session_outlives_the_job", func(t *testing.T) { checkDeploySession(t, p) })
			t.Run("image_scan_sees_go_binaries", func(t *testing.T) { checkEnhancedScanning(t, p) })
			t.Run("deploy_outputs_and_origin", func(t *testing.T) { checkDeployOutputs(t, p, env) })
		})
	}
}

// Item 1: RDS refuses a read replica of an instance whose master password
// it manages (ManageMasterUserPassword); the rotated secret is the module's.
func checkReplicaPassword(t *testing.T, p *plan) {
	dbs := p.resourcesOf("aws_db_instance")
	for addr, db := range dbs {
		src, _ := db["replicate_source_db"].(string)
		if src == "" {
			continue
		}
		for saddr, s := range dbs {
			if s["identifier"] == src && s["manage_master_user_password"] == true {
				t.Errorf("%s replicates %s, whose master password RDS manages: RDS refuses the replica", addr, saddr)
			}
		}
	}
	rot := p.res(t, "rds.aws_secretsmanager_secret_rotation.master")
	days := block(t, rot, "rotation_rules")["automatically_after_days"]
	if d, _ := days.(float64); d < 1 || d > 90 {
		t.Errorf("master secret rotation every %v days", days)
	}
	eq(t, "rotation function", p.has("rds.aws_serverlessapplicationrepository_cloudformation_stack.rotation"), true)
}

// Item 2: every name that aliases the ALB is on its certificate.
func checkALBCertificate(t *testing.T, p *plan) {
	cert := p.res(t, "alb.aws_acm_certificate.this")
	names := []string{cert["domain_name"].(string)}
	if sans, ok := cert["subject_alternative_names"].([]any); ok {
		for _, n := range sans {
			names = append(names, n.(string))
		}
	}
	// A name among a distribution's aliases reaches CloudFront (which
	// routes by name, with its own certificate); any other alias record
	// here targets the ALB. (Alias targets are unknown at plan time.)
	var edge []any
	for _, d := range p.resourcesOf("aws_cloudfront_distribution") {
		a, _ := d["aliases"].([]any)
		edge = append(edge, a...)
	}
	for addr, r := range p.resourcesOf("aws_route53_record") {
		name, _ := r["name"].(string)
		if len(blocks(r, "alias")) == 0 || slices.Contains(edge, any(name)) {
			continue
		}
		if !slices.Contains(names, name) {
			t.Errorf("%s: %s aliases the ALB but its certificate names only %v: TLS fails for that name", addr, name, names)
		}
	}
}

// Item 3: the task must not receive the rotating password once at start
// (PGPASSWORD); it reads the secret for each new connection.
func checkPasswordPerConnection(t *testing.T, p *plan) {
	c := containerContract(t, p)
	secrets, _ := c["secret_names"].([]any)
	env, _ := c["environment_names"].([]any)
	if slices.Contains(secrets, any("PGPASSWORD")) {
		t.Errorf("PGPASSWORD is injected at task start: stale after the first rotation")
	}
	if !slices.Contains(env, any("DATABASE_SECRET_ID")) {
		t.Errorf("the task has no DATABASE_SECRET_ID (environment %v)", env)
	}
}

func containerContract(t *testing.T, p *plan) map[string]any {
	t.Helper()
	summary, _ := p.outputs["summary"].(map[string]any)
	c, _ := summary["container"].(map[string]any)
	if c == nil {
		t.Fatal("plan output summary.container missing")
	}
	return c
}

// Item 4: no name fails over to an S3 website endpoint (plain HTTP, while
// the site is HTTPS-only with HSTS preload); CloudFront shows the
// maintenance page itself, from S3, when the ALB origin fails.
func checkMaintenance(t *testing.T, p *plan, env envSpec) {
	if n := len(p.resourcesOf("aws_s3_bucket_website_configuration")); n > 0 {
		t.Errorf("%d S3 website endpoint(s): HTTP only, unusable for an HTTPS-only site", n)
	}
	for addr, r := range p.resourcesOf("aws_route53_record") {
		if len(blocks(r, "failover_routing_policy")) > 0 {
			t.Errorf("%s: DNS failover of a CloudFront name cannot reach an HTTPS target (two distributions cannot share the name)", addr)
		}
	}
	if !env.cloudfront {
		return
	}
	d := p.res(t, "frontend.aws_cloudfront_distribution.this[0]")
	var codes []float64
	for _, e := range blocks(d, "custom_error_response") {
		if strings.HasPrefix(fmt.Sprint(e["response_page_path"]), "/maintenance/") {
			codes = append(codes, e["error_code"].(float64))
		}
	}
	slices.Sort(codes)
	eq(t, "maintenance page for the origin's gateway errors", codes, []any{502.0, 504.0})
	served := false
	for _, b := range blocks(d, "ordered_cache_behavior") {
		served = served || (b["path_pattern"] == "/maintenance/*" && b["target_origin_id"] == "s3-site")
	}
	eq(t, "maintenance page served from S3, not the failing ALB", served, true)
	eq(t, "maintenance page object", p.has("frontend.aws_s3_object.maintenance[0]"), true)
}

// Item 7: a CODE_DEPLOY service refuses UpdateService changes to its
// network configuration and load balancers; Terraform must ignore them.
func checkCodeDeployService(t *testing.T, p *plan, env envSpec) {
	for addr, svc := range p.resourcesOf("aws_ecs_service") {
		if block(t, svc, "deployment_controller")["type"] != "CODE_DEPLOY" {
			continue
		}
		name := strings.Split(addr[strings.LastIndex(addr, "aws_ecs_service."):], ".")[1]
		name, _, _ = strings.Cut(name, "[")
		ignored := ignoreChanges(t, filepath.Join(moduleDir(t), "ecs-service"), "aws_ecs_service", name)
		for _, attr := range []string{"task_definition", "desired_count", "load_balancer", "network_configuration"} {
			if !slices.Contains(ignored, attr) {
				t.Errorf("%s (CODE_DEPLOY) does not ignore %s: an apply that changes it fails (ignore_changes = %v)", addr, attr, ignored)
			}
		}
	}
	if env.blueGreen && !p.has("codedeploy[0].aws_codedeploy_deployment_group.this") {
		t.Error("no CodeDeploy deployment group")
	}
}

// Item 8: blue/green serves from blue and green in turn, so the
// unhealthy-host alarm must watch every target group.
func checkUnhealthyAlarm(t *testing.T, p *plan) {
	a := p.res(t, "monitoring.aws_cloudwatch_metric_alarm.unhealthy_hosts")
	watched := 0
	if a["metric_name"] == "UnHealthyHostCount" {
		watched++
	}
	for _, q := range blocks(a, "metric_query") {
		for _, m := range blocks(q, "metric") {
			if m["metric_name"] == "UnHealthyHostCount" {
				watched++
			}
		}
	}
	eq(t, "target groups the unhealthy-host alarm watches", watched, p.count("alb.aws_lb_target_group.this"))
}

// Item 9 (and 4): the ALB and Route 53 check liveness; a missed database
// ping must not take every task, or the site, out at once.
func checkLiveness(t *testing.T, p *plan) {
	for addr, tg := range p.resourcesOf("aws_lb_target_group") {
		eq(t, addr+" health check", block(t, tg, "health_check")["path"], "/healthz")
	}
	for addr, hc := range p.resourcesOf("aws_route53_health_check") {
		eq(t, addr+" path", hc["resource_path"], "/healthz")
	}
}

// Item 10: a distribution-wide rewrite of 4xx to the SPA with 200 turns
// every /api/* 404 into the web page.
func checkErrorResponses(t *testing.T, p *plan, env envSpec) {
	if !env.cloudfront {
		return
	}
	d := p.res(t, "frontend.aws_cloudfront_distribution.this[0]")
	for _, e := range blocks(d, "custom_error_response") {
		code, _ := e["error_code"].(float64)
		resp, _ := strconv.Atoi(fmt.Sprint(e["response_code"]))
		if code < 500 || (resp != 0 && resp < 400) {
			t.Errorf("custom error response %v -> %v %v applies to /api/* too", e["error_code"], e["response_code"], e["response_page_path"])
		}
	}
}

// Item 11: the deploy role's session must outlive the deploy job, which
// must be allowed the prod run's length.
func checkDeploySession(t *testing.T, p *plan) {
	role := p.res(t, "iam.aws_iam_role.deploy")
	maxSession, _ := role["max_session_duration"].(float64)
	wf, err := os.ReadFile(filepath.Join(repoRoot(t), ".github", "workflows", "_deploy.yml"))
	if err != nil {
		t.Fatal(err)
	}
	number := func(re string) int {
		m := regexp.MustCompile(re).FindSubmatch(wf)
		if m == nil {
			return 0
		}
		n, _ := strconv.Atoi(string(m[1]))
		return n
	}
	timeout := number(`(?m)^    timeout-minutes: (\d+)`)
	duration := number(`role-duration-seconds: (\d+)`)
	if timeout < seed.prodDeployMinutes {
		t.Errorf("deploy job timeout %d min < the prod deploy's %d min", timeout, seed.prodDeployMinutes)
	}
	if duration < timeout*60 {
		t.Errorf("the job asks for a %d s session (configure-aws-credentials' default is 3600) but may run %d s", duration, timeout*60)
	}
	if int(maxSession) < duration {
		t.Errorf("deploy role max_session_duration %v < the %d s the job asks for", maxSession, duration)
	}
}

// Item 12: basic scanning finds nothing in a distroless Go image.
func checkEnhancedScanning(t *testing.T, p *plan) {
	cfg := p.res(t, "ecr.aws_ecr_registry_scanning_configuration.this")
	eq(t, "registry scan type", cfg["scan_type"], "ENHANCED")
}

// Item 13: the deploy output carries AWS_REGION; nothing is published to a
// bucket nobody reads; with CloudFront in front, the ALB takes HTTPS from
// CloudFront only (checkSecurityGroups has the rule itself).
func checkDeployOutputs(t *testing.T, p *plan, env envSpec) {
	keys := p.outputKeys("deploy")
	for _, k := range []string{"AWS_REGION", "AWS_DEPLOY_ROLE_ARN", "FRONTEND_BUCKET", "APP_URL"} {
		if !slices.Contains(keys, k) {
			t.Errorf("terraform output deploy has no %s (keys %v)", k, keys)
		}
	}
	if !env.cloudfront {
		after, _ := p.outputAfter["deploy"].(map[string]any)
		eq(t, "FRONTEND_BUCKET without CloudFront", after["FRONTEND_BUCKET"], "")
		eq(t, "site buckets without CloudFront", p.count("frontend.aws_s3_bucket.site"), 0)
	}
	eq(t, "port 80 open to the internet behind CloudFront", p.has("network.aws_vpc_security_group_ingress_rule.alb_http[0]"), !env.cloudfront)
}

// moduleDir is deploy/terraform/modules (the tests run in seedtest).
func moduleDir(t *testing.T) string {
	t.Helper()
	d, err := filepath.Abs(filepath.Join("..", "modules"))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func repoRoot(t *testing.T) string {
	t.Helper()
	d, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// ignoreChanges parses the module's .tf files and returns the attribute
// names in the lifecycle ignore_changes of resource typ.name (the plan
// does not carry lifecycle settings).
func ignoreChanges(t *testing.T, dir, typ, name string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.tf"))
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		file, diags := hclsyntax.ParseConfig(src, f, hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("parse %s: %v", f, diags)
		}
		for _, b := range file.Body.(*hclsyntax.Body).Blocks {
			if b.Type != "resource" || len(b.Labels) != 2 || b.Labels[0] != typ || b.Labels[1] != name {
				continue
			}
			var out []string
			for _, lc := range b.Body.Blocks {
				attr, ok := lc.Body.Attributes["ignore_changes"]
				if lc.Type != "lifecycle" || !ok {
					continue
				}
				exprs, diags := hcl.ExprList(attr.Expr)
				if diags.HasErrors() {
					t.Fatalf("%s: ignore_changes: %v", f, diags)
				}
				for _, e := range exprs {
					out = append(out, hcl.ExprAsKeyword(e))
				}
			}
			return out
		}
	}
	t.Fatalf("no resource %s.%s in %s", typ, name, dir)
	return nil
}
