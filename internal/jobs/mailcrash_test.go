package jobs_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bankapp/bankapp/internal/mail/mailtest"
	"github.com/bankapp/bankapp/internal/store"
	"github.com/bankapp/bankapp/internal/store/storetest"
)

// TestMailSurvivesAKillBetweenOutboxAndDelivery: a real `bankapp serve`
// commits a reset request and its email's outbox row, starts delivering it
// over SMTP, and is SIGKILLed while the SMTP server holds the message
// unanswered (read, not accepted). Restarted, the server delivers the
// message exactly once: one reset email reaches the SMTP server, its job is
// done after its second attempt, and its link resets the password.
func TestMailSurvivesAKillBetweenOutboxAndDelivery(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	bin := filepath.Join(t.TempDir(), "bankapp")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/bankapp/bankapp/cmd/bankapp").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Run("sqlite", func(t *testing.T) { mailCrash(t, bin, "") })
	t.Run("postgres", func(t *testing.T) { mailCrash(t, bin, storetest.NewDatabaseURL(t)) })
}

func mailCrash(t *testing.T, bin, dbURL string) {
	ctx := context.Background()
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	smtp := mailtest.Start(t, mailtest.Options{})
	dataDir := t.TempDir() // SQLite: both processes use the same file
	env := []string{"SMTP_URL=" + smtp.URL(), "MAIL_FROM=BankApp <no-reply@bank.example>",
		"BANKAPP_PUBLIC_ORIGIN=https://bank.example", "BANKAPP_JOBS_LEASE=5s", "BANKAPP_DATA_DIR=" + dataDir}
	first := startInstance(t, bin, dbURL, base64.StdEncoding.EncodeToString(key), true, env...)
	first.waitReady(t, time.Now().Add(30*time.Second))
	db, err := store.Open(ctx, store.Options{URL: dbURL, DataDir: dataDir, MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	const email, password = "crash@example.com", "a-long-enough-Passw0rd!"
	postJSON(t, first, "/api/v1/auth/register", map[string]string{"email": email, "password": password, "full_name": "Crash Test"}, http.StatusCreated)
	if m := smtp.Next(t); !strings.Contains(m.Subject, "Confirm your email") {
		t.Fatalf("first message %q, want the verification", m.Subject)
	}

	// The next transaction stops after DATA: the message is handed over
	// but not accepted when the process dies.
	hold := smtp.Hold()
	postJSON(t, first, "/api/v1/auth/password-reset", map[string]string{"email": email}, http.StatusAccepted)
	select {
	case <-hold.Reached():
	case <-time.After(30 * time.Second):
		log, _ := os.ReadFile(first.log)
		t.Fatalf("the reset email never reached the SMTP server:\n%s", log)
	}
	running, err := db.JobsByStatus(ctx, store.JobRunning, 10)
	if err != nil {
		t.Fatal(err)
	}
	var outbox []store.Job
	for _, j := range running {
		if j.Kind == "mail_send" && strings.HasPrefix(j.DedupeKey, "mail:reset:") {
			outbox = append(outbox, j)
		}
	}
	if len(outbox) != 1 || outbox[0].Attempts != 1 {
		t.Fatalf("the reset email's outbox row while it is being delivered: %+v", outbox)
	}
	if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.cmd.Wait()
	first.dead = true
	hold.Drop()
	if n := len(smtp.Messages()); n != 1 {
		t.Fatalf("%d messages accepted before the restart, want only the verification", n)
	}
	if j, err := db.JobByDedupeKey(ctx, outbox[0].DedupeKey); err != nil || j.Status == store.JobDone {
		t.Fatalf("after the kill the job is %+v (%v); it must not be done", j.Status, err)
	}

	// Restarted: the job is taken over when its lease ends and delivered.
	second := startInstance(t, bin, dbURL, base64.StdEncoding.EncodeToString(key), true, env...)
	second.waitReady(t, time.Now().Add(30*time.Second))
	reset := smtp.Next(t)
	if !strings.Contains(reset.Subject, "Reset your BankApp password") {
		t.Fatalf("message %q after the restart, want the reset email", reset.Subject)
	}
	tok, err := reset.Token("/reset-password")
	if err != nil {
		t.Fatal(err)
	}
	var j store.Job
	for deadline := time.Now().Add(20 * time.Second); ; {
		if j, err = db.JobByDedupeKey(ctx, outbox[0].DedupeKey); err != nil {
			t.Fatal(err)
		}
		if j.Status == store.JobDone || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if j.Status != store.JobDone || j.Attempts != 2 || strings.Contains(string(j.Payload), tok) || strings.Contains(string(j.Payload), email) {
		t.Fatalf("the reset email's job after delivery: %s attempts %d payload %s", j.Status, j.Attempts, j.Payload)
	}
	// The link works, and the next message is the reset's notice: the reset
	// email went out once.
	postJSON(t, second, "/api/v1/auth/password-reset/confirm", map[string]string{"token": tok, "new_password": "another-long-Passw0rd?"}, http.StatusNoContent)
	if m := smtp.Next(t); !strings.Contains(m.Subject, "password was reset") {
		t.Fatalf("message %q after the reset, want its notice", m.Subject)
	}
	resets := 0
	for _, m := range smtp.Messages() {
		if strings.Contains(m.Subject, "Reset your BankApp password") {
			resets++
		}
	}
	if resets != 1 {
		t.Fatalf("the reset email was delivered %d times", resets)
	}
}

func postJSON(t *testing.T, in *instance, path string, body any, want int) {
	t.Helper()
	b, _ := json.Marshal(body)
	resp, err := http.Post("http://"+in.addr+path, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != want {
		var out bytes.Buffer
		_, _ = out.ReadFrom(resp.Body)
		t.Fatalf("POST %s: %d %s, want %d", path, resp.StatusCode, out.String(), want)
	}
}
