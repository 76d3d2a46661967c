package seedtest

import (
	"fmt"
	"slices"
	"strconv"
	"testing"
)

// metricsPort is the app's private metrics and pprof listener
// (METRICS_ADDR=127.0.0.1:9090): reachable only inside the task.
const metricsPort = 9090

// TestObservability: traces leave through the collector sidecar at the
// seed's rate per environment, and the metrics listener is exposed
// nowhere (issue 13 item 6, issue 18 item 2).
func TestObservability(t *testing.T) {
	for _, env := range seed.envs {
		t.Run(env.name, func(t *testing.T) {
			p := loadPlan(t, env.name)
			c := containerContract(t, p)
			otel, _ := c["otel"].(map[string]any)
			ratio, err := strconv.ParseFloat(fmt.Sprint(otel["OTEL_TRACES_SAMPLER_ARG"]), 64)
			if err != nil || ratio != env.traceRatio {
				t.Errorf("OTEL_TRACES_SAMPLER_ARG = %v, want %v", otel["OTEL_TRACES_SAMPLER_ARG"], env.traceRatio)
			}
			for k, want := range map[string]string{
				"OTEL_TRACES_SAMPLER":         "parentbased_traceidratio",
				"OTEL_EXPORTER_OTLP_ENDPOINT": "http://localhost:4318",
				"OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
				"OTEL_SERVICE_NAME":           "bankapp",
				"METRICS_ADDR":                "127.0.0.1:9090",
			} {
				eq(t, k, otel[k], want)
			}
			eq(t, "sidecars", c["sidecars"], []string{"otel-collector"})
			eq(t, "container ports", c["ports"], []int{seed.appPort})
			eq(t, "collector configuration in SSM", p.resources["module.bankapp.aws_ssm_parameter.otel_collector"] != nil, true)
			checkMetricsPortClosed(t, p)
		})
	}
}

func checkMetricsPortClosed(t *testing.T, p *plan) {
	for _, typ := range []string{"aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule", "aws_security_group_rule"} {
		for addr, r := range p.resourcesOf(typ) {
			from, _ := r["from_port"].(float64)
			to, _ := r["to_port"].(float64)
			if r["ip_protocol"] == "-1" || (from <= metricsPort && metricsPort <= to) {
				t.Errorf("%s opens %v-%v (%v), which covers the metrics port %d", addr, r["from_port"], r["to_port"], r["ip_protocol"], metricsPort)
			}
		}
	}
	for addr, tg := range p.resourcesOf("aws_lb_target_group") {
		if tg["port"] == float64(metricsPort) || slices.Contains([]any{fmt.Sprint(metricsPort)}, block(t, tg, "health_check")["port"]) {
			t.Errorf("%s reaches the metrics port", addr)
		}
	}
	if n := len(p.resourcesOf("aws_lb_listener_rule")); n > 0 {
		t.Errorf("%d ALB listener rules: the ALB must only forward to the app port", n)
	}
}
