package mail_test

import (
	"strings"
	"testing"

	"github.com/bankapp/bankapp/internal/mail"
)

func TestConfigDriverDefaults(t *testing.T) {
	cases := []struct {
		cfg  mail.Config
		want string
	}{
		{mail.Config{}, "file"},
		{mail.Config{SMTPURL: "smtp://127.0.0.1:1025"}, "smtp"},
		{mail.Config{Driver: "SES", SMTPURL: "smtp://127.0.0.1:1025"}, "ses"},
		{mail.Config{Driver: "file", SMTPURL: "smtp://127.0.0.1:1025"}, "file"},
	}
	for _, c := range cases {
		if got := c.cfg.EffectiveDriver(); got != c.want {
			t.Errorf("%+v: driver %q, want %q", c.cfg, got, c.want)
		}
	}
}

func TestConfigValidateNamesTheVariable(t *testing.T) {
	const from = "BankApp <no-reply@bank.example>"
	cases := []struct {
		name string
		cfg  mail.Config
		want string // "" means valid
	}{
		{"file default", mail.Config{OutboxDir: "/tmp/x"}, ""},
		{"file without dir", mail.Config{}, "BANKAPP_DATA_DIR"},
		{"smtp", mail.Config{SMTPURL: "smtp://user:pw@mail.example:587", From: from}, ""},
		{"smtps default port", mail.Config{SMTPURL: "smtps://mail.example", From: "no-reply@bank.example"}, ""},
		{"starttls required", mail.Config{SMTPURL: "smtp://mail.example:25?starttls=required", From: from}, ""},
		{"smtp needs from", mail.Config{SMTPURL: "smtp://mail.example:587"}, "MAIL_FROM: required"},
		{"bad from", mail.Config{SMTPURL: "smtp://mail.example:587", From: "not an address"}, "MAIL_FROM"},
		{"smtp driver needs url", mail.Config{Driver: "smtp", From: from}, "SMTP_URL: required"},
		{"scheme", mail.Config{SMTPURL: "http://mail.example", From: from}, "SMTP_URL: the scheme"},
		{"no host", mail.Config{SMTPURL: "smtp://:25", From: from}, "SMTP_URL: no host"},
		{"port", mail.Config{SMTPURL: "smtp://mail.example:70000", From: from}, "SMTP_URL: the port"},
		{"path", mail.Config{SMTPURL: "smtp://mail.example:25/x", From: from}, "SMTP_URL: want"},
		{"parameter", mail.Config{SMTPURL: "smtp://mail.example:25?tls=1", From: from}, "SMTP_URL: unknown parameter"},
		{"starttls value", mail.Config{SMTPURL: "smtp://mail.example:25?starttls=maybe", From: from}, "SMTP_URL: starttls"},
		{"smtps with starttls", mail.Config{SMTPURL: "smtps://mail.example?starttls=required", From: from}, "SMTP_URL: starttls=required is for"},
		{"not a url", mail.Config{SMTPURL: "smtp://us er:p%zz@host", From: from}, "SMTP_URL: not a URL"},
		{"unknown driver", mail.Config{Driver: "pigeon"}, "MAIL_DRIVER"},
		{"ses", mail.Config{Driver: "ses", From: from, SESConfigurationSet: "bankapp-prod_1"}, ""},
		{"ses needs from", mail.Config{Driver: "ses"}, "MAIL_FROM: required with MAIL_DRIVER=ses"},
		{"ses configuration set", mail.Config{Driver: "ses", From: from, SESConfigurationSet: "bad name!"}, "SES_CONFIGURATION_SET"},
	}
	for _, c := range cases {
		err := c.cfg.Validate()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: %v, want an error with %q", c.name, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "pw") || err != nil && strings.Contains(err.Error(), "p%zz") {
			t.Errorf("%s: the error repeats the password: %v", c.name, err)
		}
		if _, nerr := mail.New(c.cfg, nil); (nerr == nil) != (err == nil) {
			t.Errorf("%s: New %v, Validate %v", c.name, nerr, err)
		}
	}
}

func TestConfigCheckProduction(t *testing.T) {
	const from = "no-reply@bank.example"
	cases := []struct {
		cfg  mail.Config
		want string
	}{
		{mail.Config{OutboxDir: "/data/outbox"}, "MAIL_DRIVER: the file outbox is for development"},
		{mail.Config{Driver: "file", SMTPURL: "smtps://mail.example", From: from, OutboxDir: "/x"}, "MAIL_DRIVER"},
		{mail.Config{SMTPURL: "smtp://mail.example:587", From: from}, "SMTP_URL: production needs TLS"},
		{mail.Config{SMTPURL: "smtp://mail.example:587?starttls=required", From: from}, ""},
		{mail.Config{SMTPURL: "smtps://user:pw@mail.example", From: from}, ""},
		{mail.Config{SMTPURL: "smtp://127.0.0.1:25", From: from}, ""}, // a relay on the host itself
		{mail.Config{Driver: "ses", From: from}, ""},
	}
	for _, c := range cases {
		err := c.cfg.CheckProduction()
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%+v: %v, want %q", c.cfg, err, c.want)
		}
	}
}

func TestConfigSummaryHidesThePassword(t *testing.T) {
	cfg := mail.Config{SMTPURL: "smtp://bank:hunter2@mail.example:2525", From: "a@b.example"}
	s := cfg.Summary()
	if strings.Contains(s, "hunter2") || !strings.Contains(s, "mail.example:2525") || !strings.Contains(s, "as bank") {
		t.Fatalf("Summary %q", s)
	}
	if s := (mail.Config{Driver: "ses", Region: "eu-west-1", SESConfigurationSet: "prod"}).Summary(); s != "ses in eu-west-1, configuration set prod" {
		t.Fatalf("Summary %q", s)
	}
}
