package seedtest

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// envDomain is each environment's public name (envs/*/main.tf).
var envDomain = map[string]string{"dev": "dev.bankapp.example.com", "staging": "staging.bankapp.example.com", "prod": "bankapp.example.com"}

// TestEmail: SES per environment (issue 16 item 6): the domain identity
// with Easy DKIM in Route 53, bounce and complaint events to SNS and
// CloudWatch with alarms, the app's mail settings, and a task role that
// may send only from no-reply@ its own domain through its own
// configuration set — and nothing else in the plan may send mail.
func TestEmail(t *testing.T) {
	for _, env := range seed.envs {
		t.Run(env.name, func(t *testing.T) {
			p := loadPlan(t, env.name)
			domain, name := envDomain[env.name], "bankapp-"+env.name
			id := p.res(t, "email.aws_sesv2_email_identity.domain")
			eq(t, "identity", id["email_identity"], domain)
			eq(t, "identity's configuration set", id["configuration_set_name"], name)
			eq(t, "DKIM CNAMEs", p.count("email.aws_route53_record.dkim"), 3)
			eq(t, "MAIL FROM domain", p.res(t, "email.aws_sesv2_email_identity_mail_from_attributes.domain")["mail_from_domain"], "mail."+domain)
			sns := block(t, p.res(t, "email.aws_sesv2_configuration_set_event_destination.sns"), "event_destination")
			types, _ := sns["matching_event_types"].([]any)
			if !slices.Contains(types, any("BOUNCE")) || !slices.Contains(types, any("COMPLAINT")) {
				t.Errorf("SNS destination events %v", types)
			}
			eq(t, "CloudWatch destination", len(blocks(block(t, p.res(t, "email.aws_sesv2_configuration_set_event_destination.cloudwatch"), "event_destination"), "cloud_watch_destination")), 1)
			for _, k := range []string{"bounce", "complaint"} {
				a := p.res(t, `email.aws_cloudwatch_metric_alarm.rate["`+k+`"]`)
				eq(t, k+" alarm namespace", a["namespace"], "AWS/SES")
			}
			for k, want := range map[string]string{
				"MAIL_DRIVER":           "ses",
				"MAIL_FROM":             "BankApp <no-reply@" + domain + ">",
				"SES_CONFIGURATION_SET": name,
				"BANKAPP_PUBLIC_ORIGIN": "https://" + domain,
			} {
				eq(t, k, p.res(t, `ssm.aws_ssm_parameter.setting["`+k+`"]`)["value"], want)
			}
			checkSendScope(t, p, domain, name)
		})
	}
}

type policyDoc struct {
	Statement []struct {
		Effect    string
		Action    any
		Resource  any
		Condition map[string]map[string]any
	}
}

func checkSendScope(t *testing.T, p *plan, domain, configSet string) {
	raw, _ := p.res(t, "iam.aws_iam_role_policy.task_email")["policy"].(string)
	var doc policyDoc
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		t.Fatalf("task_email policy: %v (%q)", err, raw)
	}
	if len(doc.Statement) != 1 {
		t.Fatalf("task_email policy has %d statements", len(doc.Statement))
	}
	st := doc.Statement[0]
	eq(t, "email effect", st.Effect, "Allow")
	eq(t, "email actions", st.Action, []string{"ses:SendEmail"})
	res, _ := st.Resource.([]any)
	if len(res) != 2 || !strings.HasSuffix(res[0].(string), ":identity/"+domain) || !strings.HasSuffix(res[1].(string), ":configuration-set/"+configSet) {
		t.Errorf("email resources %v: want the identity %s and the configuration set %s only", st.Resource, domain, configSet)
	}
	for _, r := range res {
		if strings.Contains(r.(string), "*") {
			t.Errorf("wildcard resource %v", r)
		}
	}
	eq(t, "sender", st.Condition["StringEquals"]["ses:FromAddress"], "no-reply@"+domain)
	// No other policy the plan knows grants SES or e-mail sending.
	for addr, pol := range p.resourcesOf("aws_iam_role_policy") {
		if strings.HasSuffix(addr, "task_email") {
			continue
		}
		if doc, ok := pol["policy"].(string); ok && (strings.Contains(doc, `"ses:`) || strings.Contains(doc, `"ses:*`)) {
			t.Errorf("%s grants SES actions too", addr)
		}
	}
}
