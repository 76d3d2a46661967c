package mail_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bankapp/bankapp/internal/mail"
	"github.com/bankapp/bankapp/internal/mail/mailtest"
)

func TestFileOutboxWritesPrivateEMLAndLogsTheLink(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", "outbox")
	var logs bytes.Buffer
	s, err := mail.New(mail.Config{OutboxDir: dir}, slog.New(slog.NewJSONHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	m := resetMessage(t, "jane@example.com", "reset:1")
	for range 2 { // a retry of the same key replaces the file
		if err := s.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Send(context.Background(), resetMessage(t, "joe@example.com", "reset:2")); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(dir)
	if err != nil || st.Mode().Perm() != 0o700 {
		t.Fatalf("outbox dir: %v %v, want 0700", st.Mode(), err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 {
		t.Fatalf("files %v, want one per key", files)
	}
	var found bool
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil || st.Mode().Perm() != 0o600 || !strings.HasSuffix(f, ".eml") {
			t.Fatalf("%s: %v %v, want an .eml file with mode 0600", f, st.Mode(), err)
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		got := mailtest.Parse(raw)
		if got.ParseErr != nil {
			t.Fatal(got.ParseErr)
		}
		if got.Header.Get("To") == "<jane@example.com>" {
			found = true
			if got.Subject != m.Subject || got.Text != m.Text || got.HTML != m.HTML {
				t.Errorf("%s does not hold the message", f)
			}
		}
	}
	if !found {
		t.Fatal("no file for jane@example.com")
	}

	// One log line per message: kind, recipient, the link to click; never
	// the body.
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	var outbox []map[string]any
	for _, l := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatal(err)
		}
		if rec["msg"] == "mail written to the development outbox" {
			outbox = append(outbox, rec)
		}
	}
	if len(outbox) != 3 || len(lines) != 3 {
		t.Fatalf("%d outbox log lines of %d, want 3 of 3:\n%s", len(outbox), len(lines), logs.String())
	}
	rec := outbox[0]
	if rec["kind"] != "password_reset" || rec["to"] != "jane@example.com" ||
		rec["link"] != "https://bank.example/reset-password?token=tok-reset%3A1" {
		t.Errorf("log line %v", rec)
	}
	if strings.Contains(logs.String(), "We received a request") {
		t.Error("the log holds the body")
	}
}

func TestFileOutboxMakesAnExistingDirPrivate(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	s := newSender(t, mail.Config{Driver: "file", OutboxDir: dir})
	if err := s.Send(context.Background(), resetMessage(t, "jane@example.com", "k")); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(dir); st.Mode().Perm() != 0o700 {
		t.Fatalf("outbox mode %v, want 0700", st.Mode().Perm())
	}
}

func TestFirstLink(t *testing.T) {
	cases := map[string]string{
		"Open https://bank.example/verify-email?token=a_b-c.": "https://bank.example/verify-email?token=a_b-c",
		"no link here": "",
		"(see http://localhost:8080/reset-password?token=x) thanks": "http://localhost:8080/reset-password?token=x",
		"first https://a.example/1 then https://b.example/2":        "https://a.example/1",
	}
	for in, want := range cases {
		if got := mail.FirstLink(in); got != want {
			t.Errorf("FirstLink(%q) = %q, want %q", in, got, want)
		}
	}
}
