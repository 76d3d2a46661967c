package mail_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bankapp/bankapp/internal/mail"
	"github.com/bankapp/bankapp/internal/mail/mailtest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var eventAt = time.Date(2027, 1, 2, 14, 5, 33, 0, time.FixedZone("CET", 3600))

func templates(t *testing.T, site mail.Site) *mail.Templates {
	t.Helper()
	tpl, err := mail.NewTemplates(site)
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

// allMessages renders one message of every kind.
func allMessages(t *testing.T, tpl *mail.Templates) []mail.Message {
	t.Helper()
	var out []mail.Message
	add := func(m mail.Message, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	add(tpl.VerifyEmail("jane@example.com", "Jane Doe", "vT0k3n_-AbC", 24*time.Hour))
	add(tpl.PasswordReset("jane@example.com", "Jane Doe", "rT0k3n_-XyZ", 30*time.Minute))
	for _, kind := range []string{mail.KindPasswordChanged, mail.KindPasswordWasReset, mail.KindTOTPEnabled, mail.KindTOTPDisabled,
		mail.KindRecoveryCodesRegenerated, mail.KindRecoveryCodeUsed, mail.KindNewDevice} {
		add(tpl.Notice("jane@example.com", "Jane Doe", mail.Notice{Kind: kind, At: eventAt, IP: "203.0.113.7", Device: "Firefox 133 on Linux"}))
	}
	return out
}

// TestTemplatesGolden compares every message with testdata/<kind>.txt
// (subject and text part) and testdata/<kind>.html. After a deliberate
// change: go test ./internal/mail -run Golden -update, and read the diff.
func TestTemplatesGolden(t *testing.T) {
	tpl := templates(t, mail.Site{Origin: "https://bank.example/", SupportEmail: "support@bank.example"})
	msgs := allMessages(t, tpl)
	if len(msgs) != 9 {
		t.Fatalf("%d kinds", len(msgs))
	}
	for _, m := range msgs {
		golden(t, m.Kind+".txt", "Subject: "+m.Subject+"\n\n"+m.Text)
		golden(t, m.Kind+".html", m.HTML)
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the rendered message (run with -update after a deliberate change):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestTemplatesLinksAndGuidance(t *testing.T) {
	tpl := templates(t, mail.Site{Origin: "http://localhost:8080"})
	for _, m := range allMessages(t, tpl) {
		if m.To != "jane@example.com" || m.Subject == "" || !strings.Contains(m.Subject, "BankApp") {
			t.Errorf("%s: to %q subject %q", m.Kind, m.To, m.Subject)
		}
		if !strings.HasPrefix(m.HTML, "<!DOCTYPE html>") || !strings.Contains(m.HTML, `<html lang="en">`) || strings.Contains(m.HTML, "<style") {
			t.Errorf("%s: HTML is not a standalone document with inline styles", m.Kind)
		}
		// Both parts carry the same links, all on the public origin.
		text, html := mailtest.Links(m.Text), mailtest.Links(m.HTML)
		for _, l := range text {
			if !strings.HasPrefix(l, "http://localhost:8080") {
				t.Errorf("%s: link %q is not on the origin", m.Kind, l)
			}
			if !strings.Contains(m.HTML, `href="`+l+`"`) {
				t.Errorf("%s: the HTML part lacks the link %q", m.Kind, l)
			}
		}
		if len(html) == 0 || len(text) == 0 {
			t.Errorf("%s: no links", m.Kind)
		}
		notice := strings.HasPrefix(m.Kind, "notice_")
		for _, part := range []string{m.Text, m.HTML} {
			if got := strings.Contains(part, "Wasn't you?") && strings.Contains(part, "http://localhost:8080/forgot-password") &&
				strings.Contains(part, "Contact BankApp support"); got != notice {
				t.Errorf("%s: \"this wasn't me\" guidance %v, want %v", m.Kind, got, notice)
			}
		}
		if notice && !strings.Contains(m.Text, "When: ") {
			t.Errorf("%s: no time in the notice", m.Kind)
		}
	}
	m, err := tpl.PasswordReset("jane@example.com", "", "a+b/c=&d", 30*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	// The token is query-escaped; mailtest reads it back as it was.
	if l := m.Text; !strings.Contains(l, "http://localhost:8080/reset-password?token=a%2Bb%2Fc%3D%26d") || !strings.Contains(l, "30 minutes") {
		t.Fatalf("reset text:\n%s", l)
	}
	if tok, err := (mailtest.Message{Text: m.Text, HTML: m.HTML, Subject: m.Subject}).Token("/reset-password"); err != nil || tok != "a+b/c=&d" {
		t.Fatalf("token %q %v", tok, err)
	}
	v, err := tpl.VerifyEmail("jane@example.com", "", "tok", 0)
	if err != nil {
		t.Fatal(err)
	}
	if tok, err := (mailtest.Message{Text: v.Text, HTML: v.HTML}).Token("/verify-email"); err != nil || tok != "tok" {
		t.Fatalf("verify token %q %v", tok, err)
	}
	if strings.Contains(v.Text, "The link works for") {
		t.Error("a validity of 0 is mentioned")
	}
}

func TestTemplatesEscapeWhatCustomersAndClientsSend(t *testing.T) {
	tpl := templates(t, mail.Site{Origin: "https://bank.example"})
	evil := "<script>alert(1)</script>\r\nBcc: victim@example.com"
	m, err := tpl.Notice("jane@example.com", evil, mail.Notice{Kind: mail.KindNewDevice, At: eventAt, IP: "203.0.113.7\n<b>", Device: evil})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(m.HTML, "<script>") || strings.Contains(m.HTML, "<b>") || !strings.Contains(m.HTML, "&lt;script&gt;") {
		t.Errorf("HTML not escaped:\n%s", m.HTML)
	}
	// Control characters are gone: no value can start a line of its own.
	for _, line := range strings.Split(m.Text, "\n") {
		if strings.HasPrefix(line, "Bcc:") {
			t.Errorf("a value broke the text into a header-like line: %q", line)
		}
	}
	if !strings.Contains(m.Text, "Device: <script>alert(1)</script> Bcc: victim@example.com") {
		t.Errorf("device line:\n%s", m.Text)
	}
	// Other control characters (a terminal escape, NUL) become spaces too.
	m, err = tpl.Notice("jane@example.com", "Jane\x00Doe", mail.Notice{Kind: mail.KindNewDevice, At: eventAt, Device: "curl\x1b[31m/8\u2028x"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(m.Text+m.HTML, "\x00\x1b\u2028") || !strings.Contains(m.Text, "Device: curl [31m/8 x") || !strings.Contains(m.Text, "Hello Jane Doe,") {
		t.Errorf("control characters kept:\n%q", m.Text)
	}
	long := strings.Repeat("x", 500)
	m, _ = tpl.Notice("jane@example.com", "", mail.Notice{Kind: mail.KindNewDevice, At: eventAt, Device: long})
	if strings.Contains(m.Text, strings.Repeat("x", 121)) {
		t.Error("a long device description is not cut")
	}
}

func TestTemplatesRefuseBadInput(t *testing.T) {
	for _, origin := range []string{"", "bank.example", "ftp://bank.example", "https://bank.example/app", "https://bank.example?x=1", "https://u:p@bank.example"} {
		if _, err := mail.NewTemplates(mail.Site{Origin: origin}); err == nil {
			t.Errorf("origin %q accepted", origin)
		}
	}
	tpl := templates(t, mail.Site{Origin: "https://bank.example"})
	if _, err := tpl.PasswordReset("jane@example.com", "", "", time.Minute); err == nil {
		t.Error("a reset without a token")
	}
	if _, err := tpl.VerifyEmail("", "", "tok", 0); err == nil {
		t.Error("a message without a recipient")
	}
	if _, err := tpl.Notice("jane@example.com", "", mail.Notice{Kind: "notice_unknown", At: eventAt}); err == nil {
		t.Error("an unknown notice kind")
	}
	if _, err := tpl.Notice("jane@example.com", "", mail.Notice{Kind: mail.KindTOTPEnabled}); err == nil {
		t.Error("a notice without a time")
	}
}
