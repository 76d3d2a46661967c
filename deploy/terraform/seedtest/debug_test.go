package seedtest

import (
	"encoding/json"
	"strings"
	"testing"
)

// sessionChannelActions are what ECS Exec's managed SSM agent needs on the
// task role to open a Session Manager session (here: port forwarding to
// the metrics/pprof listener, docs/runbooks/profiling.md).
var sessionChannelActions = []string{
	"ssmmessages:CreateControlChannel",
	"ssmmessages:CreateDataChannel",
	"ssmmessages:OpenControlChannel",
	"ssmmessages:OpenDataChannel",
}

// TestDebugPortForwarding: the profiling toggle (issue 18 item 5). As
// committed, every environment runs with ECS Exec off, a read-only root
// file system and no ssmmessages permission on the task role;
// scripts/infra-test.sh also plans each environment with
// -var debug_port_forwarding=true (<env>-debug.json), where all three turn
// on together — and the metrics port is still reachable from nowhere.
func TestDebugPortForwarding(t *testing.T) {
	for _, env := range seed.envs {
		t.Run(env.name+"/default", func(t *testing.T) {
			checkDebugAccess(t, loadPlan(t, env.name), false)
		})
		t.Run(env.name+"/debug_port_forwarding", func(t *testing.T) {
			p := loadPlan(t, env.name+"-debug")
			checkDebugAccess(t, p, true)
			checkMetricsPortClosed(t, p)
		})
	}
}

func checkDebugAccess(t *testing.T, p *plan, on bool) {
	services := p.resourcesOf("aws_ecs_service")
	if len(services) != 1 {
		t.Fatalf("%d ECS services, want 1", len(services))
	}
	for addr, svc := range services {
		eq(t, addr+" enable_execute_command", svc["enable_execute_command"], on)
	}
	// The managed agent cannot start on a read-only root (ECS Exec
	// considerations), so the root is writable only while the toggle is on.
	eq(t, "readonlyRootFilesystem", containerContract(t, p)["read_only"], !on)

	var granting []string
	for _, typ := range []string{"aws_iam_role_policy", "aws_iam_policy"} {
		for addr, pol := range p.resourcesOf(typ) {
			if doc, _ := pol["policy"].(string); strings.Contains(doc, "ssmmessages:") || strings.Contains(doc, `"ssm:StartSession"`) {
				granting = append(granting, addr)
			}
		}
	}
	for addr, a := range p.resourcesOf("aws_iam_role_policy_attachment") {
		if arn, _ := a["policy_arn"].(string); strings.Contains(arn, "SSM") {
			t.Errorf("%s attaches %s", addr, arn)
		}
	}
	if !on {
		if len(granting) > 0 {
			t.Errorf("Session Manager permissions without debug_port_forwarding: %v", granting)
		}
		return
	}
	want := stackAddr("iam.aws_iam_role_policy.task_debug[0]")
	if len(granting) != 1 || granting[0] != want {
		t.Fatalf("policies granting ssmmessages: %v, want only %s", granting, want)
	}
	eq(t, "task_debug role", p.refs(t, "iam.aws_iam_role_policy.task_debug", "role"), []string{"aws_iam_role.task.id", "aws_iam_role.task"})
	var doc policyDoc
	raw, _ := p.resources[want]["policy"].(string)
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		t.Fatalf("task_debug policy: %v (%q)", err, raw)
	}
	if len(doc.Statement) != 1 {
		t.Fatalf("task_debug policy has %d statements", len(doc.Statement))
	}
	st := doc.Statement[0]
	eq(t, "task_debug effect", st.Effect, "Allow")
	eq(t, "task_debug actions", st.Action, sessionChannelActions)
	eq(t, "task_debug resources (ssmmessages has no resource-level permissions)", st.Resource, []string{"*"})
}
