package seedtest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestSeed(t *testing.T) {
	for _, env := range seed.envs {
		t.Run(env.name, func(t *testing.T) {
			p := loadPlan(t, env.name)
			t.Run("network", func(t *testing.T) { checkNetwork(t, p, env) })
			t.Run("security_groups", func(t *testing.T) { checkSecurityGroups(t, p, env) })
			t.Run("alb", func(t *testing.T) { checkALB(t, p, env) })
			t.Run("ecs", func(t *testing.T) { checkECS(t, p, env) })
			t.Run("scaling", func(t *testing.T) { checkScaling(t, p, env) })
			t.Run("rds", func(t *testing.T) { checkRDS(t, p, env) })
			t.Run("s3", func(t *testing.T) { checkS3(t, p, env) })
			t.Run("cloudfront_waf", func(t *testing.T) { checkEdge(t, p, env) })
			t.Run("alarms", func(t *testing.T) { checkAlarms(t, p) })
			t.Run("ecr", func(t *testing.T) { checkECR(t, p) })
			t.Run("cloudtrail", func(t *testing.T) { checkTrail(t, p) })
		})
	}
}

func checkNetwork(t *testing.T, p *plan, env envSpec) {
	eq(t, "VPC CIDR", p.res(t, "network.aws_vpc.this")["cidr_block"], env.vpcCIDR)
	for i, cidr := range env.public {
		eq(t, fmt.Sprintf("public subnet %d", i), p.res(t, fmt.Sprintf("network.aws_subnet.public[%d]", i))["cidr_block"], cidr)
	}
	for i, cidr := range env.private {
		eq(t, fmt.Sprintf("private subnet %d", i), p.res(t, fmt.Sprintf("network.aws_subnet.private[%d]", i))["cidr_block"], cidr)
	}
	eq(t, "public subnets", p.count("network.aws_subnet.public"), len(env.public))
	eq(t, "private subnets", p.count("network.aws_subnet.private"), len(env.private))
	eq(t, "NAT gateways (one per AZ)", p.count("network.aws_nat_gateway.this"), 2)
}

func checkSecurityGroups(t *testing.T, p *plan, env envSpec) {
	want := map[string]bool{}
	for _, r := range seed.securityGroupRules {
		mod := r.module
		if mod == "" {
			mod = "network"
		}
		addr := mod + "." + r.addr
		if env.cloudfront && r.edge == "absent" {
			eq(t, r.addr+" behind CloudFront", p.has(addr), false)
			continue
		}
		want[stackAddr(addr)] = true
		v := p.res(t, addr)
		eq(t, r.addr+" protocol", v["ip_protocol"], "tcp")
		eq(t, r.addr+" from_port", v["from_port"], r.port)
		eq(t, r.addr+" to_port", v["to_port"], r.port)
		eq(t, r.addr+" group", p.refs(t, addr, "security_group_id"), sgRefs(r.group))
		switch {
		case env.cloudfront && r.edge == "prefix-list":
			eq(t, r.addr+" cidr behind CloudFront", v["cidr_ipv4"], nil)
			eq(t, r.addr+" prefix list", slices.Contains(p.refs(t, addr, "prefix_list_id"), "var.alb_ingress_prefix_list_id"), true)
		case r.cidr != "":
			eq(t, r.addr+" cidr", v["cidr_ipv4"], r.cidr)
		default:
			eq(t, r.addr+" peer", p.refs(t, addr, "referenced_security_group_id"), sgRefs(r.peer))
			eq(t, r.addr+" cidr", v["cidr_ipv4"], nil)
		}
	}
	// No other rule exists: in particular RDS has no egress at all.
	for addr := range p.resources {
		for _, kind := range []string{"aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule", "aws_security_group_rule"} {
			if strings.Contains(addr, "."+kind+".") && !want[addr] {
				t.Errorf("security-group rule %s is not in the seed", addr)
			}
		}
	}
	for _, g := range []string{"network.aws_security_group.alb", "network.aws_security_group.ecs", "network.aws_security_group.rds", "rds.aws_security_group.rotation"} {
		v := p.res(t, g)
		if v["ingress"] != nil || v["egress"] != nil {
			t.Errorf("security group %s has inline rules: %v %v", g, v["ingress"], v["egress"])
		}
	}
}

// sgRefs is how the configuration refers to a group: a group of the same
// module by name, or a module input ("var.…").
func sgRefs(g string) []string {
	if strings.HasPrefix(g, "var.") {
		return []string{g}
	}
	return []string{"aws_security_group." + g + ".id", "aws_security_group." + g}
}

func checkALB(t *testing.T, p *plan, env envSpec) {
	tg := p.res(t, `alb.aws_lb_target_group.this["blue"]`)
	hc := block(t, tg, "health_check")
	eq(t, "health check path", hc["path"], seed.healthPath)
	eq(t, "health check interval", hc["interval"], seed.healthInterval)
	eq(t, "unhealthy after more than 2 consecutive failures", hc["unhealthy_threshold"], 3)
	eq(t, "target port", tg["port"], seed.appPort)
	eq(t, "deregistration delay", tg["deregistration_delay"], fmt.Sprint(seed.drainSeconds+5))
	https := p.res(t, "alb.aws_lb_listener.https")
	eq(t, "HTTPS port", https["port"], 443)
	eq(t, "TLS 1.2+ policy", https["ssl_policy"], "ELBSecurityPolicy-TLS13-1-2-2021-06")
	redirect := block(t, block(t, p.res(t, "alb.aws_lb_listener.http"), "default_action"), "redirect")
	eq(t, "80 redirects to", redirect["port"], "443")
	eq(t, "green target group", p.has(`alb.aws_lb_target_group.this["green"]`), env.blueGreen)
}

func checkECS(t *testing.T, p *plan, env envSpec) {
	td := p.res(t, "ecs.aws_ecs_task_definition.this")
	eq(t, "task cpu", td["cpu"], env.cpu)
	eq(t, "task memory", td["memory"], env.memory)
	// The container definition embeds unknown ARNs, so the plan leaves it
	// unknown; the root output "summary" carries its known contract.
	summary, _ := p.outputs["summary"].(map[string]any)
	c, _ := summary["container"].(map[string]any)
	if c == nil {
		t.Fatalf("plan output summary.container missing")
	}
	eq(t, "container port", c["port"], seed.appPort)
	if st, _ := c["stop_timeout"].(float64); st <= float64(seed.drainSeconds) {
		t.Errorf("stopTimeout %v does not cover the %d s drain", c["stop_timeout"], seed.drainSeconds)
	}
	eq(t, "container health check", c["health_check"], []string{"CMD", "/bankapp", "healthcheck"})
	eq(t, "non-root user", c["user"], "65532:65532")
	svc := p.res(t, serviceAddr(env))
	eq(t, "desired tasks", svc["desired_count"], env.tasks)
	capacity := "FARGATE"
	if env.spot {
		capacity = "FARGATE_SPOT"
	}
	eq(t, "capacity provider", block(t, svc, "capacity_provider_strategy")["capacity_provider"], capacity)
	controller := "ECS"
	if env.blueGreen {
		controller = "CODE_DEPLOY"
		eq(t, "CodeDeploy group", p.has("codedeploy[0].aws_codedeploy_deployment_group.this"), true)
	} else {
		cb := block(t, svc, "deployment_circuit_breaker")
		eq(t, "circuit breaker", []any{cb["enable"], cb["rollback"]}, []any{true, true})
	}
	eq(t, "deployment controller", block(t, svc, "deployment_controller")["type"], controller)
}

func checkScaling(t *testing.T, p *plan, env envSpec) {
	tgt := p.res(t, "ecs.aws_appautoscaling_target.this")
	eq(t, "min tasks", tgt["min_capacity"], env.minTasks)
	eq(t, "max tasks", tgt["max_capacity"], env.maxTasks)
	tt := block(t, p.res(t, "ecs.aws_appautoscaling_policy.cpu_target"), "target_tracking_scaling_policy_configuration")
	eq(t, "CPU target", tt["target_value"], env.cpuTarget)
	eq(t, "CPU metric", block(t, tt, "predefined_metric_specification")["predefined_metric_type"], "ECSServiceAverageCPUUtilization")
	eq(t, "step scaling up", p.has("ecs.aws_appautoscaling_policy.step_up[0]"), env.stepScaling)
	eq(t, "step scaling down", p.has("ecs.aws_appautoscaling_policy.step_down[0]"), env.stepScaling)
	if !env.stepScaling {
		return
	}
	for _, s := range []struct {
		name       string
		rule       [2]int
		adjustment int
		comparison string
	}{
		{"up", seed.stepUp, 1, "GreaterThanThreshold"},
		{"down", seed.stepDown, -1, "LessThanThreshold"},
	} {
		pol := block(t, p.res(t, "ecs.aws_appautoscaling_policy.step_"+s.name+"[0]"), "step_scaling_policy_configuration")
		eq(t, s.name+" adjustment type", pol["adjustment_type"], "ChangeInCapacity")
		eq(t, s.name+" adjustment", block(t, pol, "step_adjustment")["scaling_adjustment"], s.adjustment)
		a := p.res(t, "ecs.aws_cloudwatch_metric_alarm.step_"+s.name+"[0]")
		eq(t, s.name+" metric", a["metric_name"], "CPUUtilization")
		eq(t, s.name+" comparison", a["comparison_operator"], s.comparison)
		eq(t, s.name+" threshold", a["threshold"], s.rule[0])
		eq(t, s.name+" minutes", a["period"].(float64)*a["evaluation_periods"].(float64)/60, s.rule[1])
	}
}

func checkRDS(t *testing.T, p *plan, env envSpec) {
	db := p.res(t, "rds.aws_db_instance.primary")
	eq(t, "class", db["instance_class"], env.rdsClass)
	eq(t, "Multi-AZ", db["multi_az"], env.multiAZ)
	eq(t, "backup retention", db["backup_retention_period"], seed.backupRetention)
	eq(t, "minor upgrades", db["auto_minor_version_upgrade"], true)
	eq(t, "encrypted", db["storage_encrypted"], true)
	// RDS cannot replicate an instance whose master password it manages:
	// the password is in the module's own rotated secret (issue 20 item 1).
	eq(t, "RDS-managed master password", db["manage_master_user_password"], nil)
	eq(t, "public", db["publicly_accessible"], false)
	eq(t, "deletion protection", db["deletion_protection"], env.replica)
	eq(t, "allocated storage", db["allocated_storage"], seed.rdsStorageGiB)
	eq(t, "enhanced monitoring", db["monitoring_interval"].(float64) > 0, env.enhancedMon)
	eq(t, "read replica", p.has("rds.aws_db_instance.replica[0]"), env.replica)
	ssl := false
	for _, prm := range blocks(p.res(t, "rds.aws_db_parameter_group.this"), "parameter") {
		ssl = ssl || (prm["name"] == "rds.force_ssl" && prm["value"] == "1")
	}
	eq(t, "SSL required", ssl, true)
}

func checkS3(t *testing.T, p *plan, env envSpec) {
	if !env.cloudfront {
		// No site bucket without CloudFront: an S3 website cannot serve the
		// HTTPS name; the ALB serves the app's embedded build (issue 20
		// item 13). The seed's S3 rules hold for the buckets that exist.
		eq(t, "site bucket without CloudFront", p.count("frontend.aws_s3_bucket.site"), 0)
		return
	}
	eq(t, "versioning", block(t, p.res(t, "frontend.aws_s3_bucket_versioning.site[0]"), "versioning_configuration")["status"], "Enabled")
	sse := block(t, block(t, p.res(t, "frontend.aws_s3_bucket_server_side_encryption_configuration.site[0]"), "rule"), "apply_server_side_encryption_by_default")
	eq(t, "SSE-S3", sse["sse_algorithm"], "AES256")
	glacier, tiering := false, false
	for _, r := range blocks(p.res(t, "frontend.aws_s3_bucket_lifecycle_configuration.site[0]"), "rule") {
		for _, nt := range blocks(r, "noncurrent_version_transition") {
			glacier = glacier || (nt["storage_class"] == "GLACIER" && nt["noncurrent_days"] == float64(seed.glacierAfterDays))
		}
		for _, tr := range blocks(r, "transition") {
			tiering = tiering || tr["storage_class"] == "INTELLIGENT_TIERING"
		}
	}
	eq(t, "old versions to Glacier after 90 days", glacier, true)
	// "S3 Versioning: Enabled for all buckets" and encryption at rest.
	for addr := range p.resources {
		mod, name, ok := strings.Cut(addr, ".aws_s3_bucket.")
		if !ok {
			continue
		}
		for _, companion := range []string{"aws_s3_bucket_versioning", "aws_s3_bucket_server_side_encryption_configuration"} {
			if _, ok := p.resources[mod+"."+companion+"."+name]; !ok {
				t.Errorf("bucket %s has no %s", addr, companion)
			}
		}
	}
	eq(t, "Intelligent-Tiering", tiering, env.intTiering)
}

func checkEdge(t *testing.T, p *plan, env envSpec) {
	eq(t, "CloudFront", p.has("frontend.aws_cloudfront_distribution.this[0]"), env.cloudfront)
	eq(t, "S3 website (HTTP only)", p.count("frontend.aws_s3_bucket_website_configuration.site"), 0)
	eq(t, "WAF", p.has("frontend.aws_wafv2_web_acl.this[0]"), env.waf)
	if env.cloudfront {
		d := p.res(t, "frontend.aws_cloudfront_distribution.this[0]")
		api := block(t, d, "ordered_cache_behavior")
		eq(t, "/api/* behaviour", api["path_pattern"], "/api/*")
		eq(t, "/api/* uncached", api["cache_policy_id"], "4135ea2d-6df8-44a3-9df3-4b5a84be39ad")
		eq(t, "origin failover", len(blocks(d, "origin_group")), 1)
		eq(t, "viewer TLS", block(t, d, "viewer_certificate")["minimum_protocol_version"], "TLSv1.2_2021")
		eq(t, "WAF attachable", slices.Contains(p.refs(t, "frontend.aws_cloudfront_distribution.this", "web_acl_id"), "aws_wafv2_web_acl.this"), true)
	}
	if env.waf {
		acl := p.res(t, "frontend.aws_wafv2_web_acl.this[0]")
		var names []string
		for _, r := range blocks(acl, "rule") {
			names = append(names, r["name"].(string))
		}
		slices.Sort(names)
		eq(t, "WAF rules", names, []string{"AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet", "rate-limit-per-ip"})
	}
}

func checkAlarms(t *testing.T, p *plan) {
	n := 0
	for addr := range p.resources {
		if strings.HasPrefix(addr, stackAddr("monitoring.aws_cloudwatch_metric_alarm.")) {
			n++
		}
	}
	eq(t, "number of alarms", n, len(seed.alarms))
	for _, a := range seed.alarms {
		v := p.res(t, "monitoring.aws_cloudwatch_metric_alarm."+a.key)
		eq(t, a.key+" comparison", v["comparison_operator"], a.comparison)
		eq(t, a.key+" threshold", v["threshold"], a.threshold)
		eq(t, a.key+" evaluation periods", v["evaluation_periods"], a.periods)
		if a.namespace == "" { // metric math: the ALB's and the targets' 5xx; every target group's unhealthy hosts
			for _, q := range blocks(v, "metric_query") {
				if m := blocks(q, "metric"); len(m) == 1 {
					eq(t, a.key+" period", m[0]["period"], a.period)
					eq(t, a.key+" stat", m[0]["stat"], a.stat)
				}
			}
			continue
		}
		eq(t, a.key+" metric", []any{v["namespace"], v["metric_name"]}, []any{a.namespace, a.metric})
		eq(t, a.key+" period", v["period"], a.period)
		if a.extStat != "" {
			eq(t, a.key+" statistic", v["extended_statistic"], a.extStat)
		}
	}
}

func checkECR(t *testing.T, p *plan) {
	repo := p.res(t, "ecr.aws_ecr_repository.this")
	eq(t, "scan on push", block(t, repo, "image_scanning_configuration")["scan_on_push"], true)
	eq(t, "immutable tags", repo["image_tag_mutability"], "IMMUTABLE")
	eq(t, "lifecycle policy", p.has("ecr.aws_ecr_lifecycle_policy.this"), true)
}

func checkTrail(t *testing.T, p *plan) {
	tr := p.res(t, "audit.aws_cloudtrail.this")
	eq(t, "multi-region", tr["is_multi_region_trail"], true)
	eq(t, "log file validation", tr["enable_log_file_validation"], true)
	eq(t, "global services", tr["include_global_service_events"], true)
}

// serviceAddr is the ECS service of the environment's deployment
// controller (modules/ecs-service has one resource per controller).
func serviceAddr(env envSpec) string {
	if env.blueGreen {
		return "ecs.aws_ecs_service.blue_green[0]"
	}
	return "ecs.aws_ecs_service.this[0]"
}
