package jobs_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bankapp/bankapp/internal/jobs"
	"github.com/bankapp/bankapp/internal/mail"
	"github.com/bankapp/bankapp/internal/mail/mailtest"
	"github.com/bankapp/bankapp/internal/store"
	"github.com/bankapp/bankapp/internal/store/storetest"
)

// mailFixture is a runner whose mail_send jobs go to an in-test SMTP server.
func mailFixture(t *testing.T, db *store.DB) (*fixture, *mailtest.Server, *mail.Templates) {
	t.Helper()
	f := newFixture(t, db, "2027-01-01T00:00:00Z")
	srv := mailtest.Start(t, mailtest.Options{})
	sender, err := mail.New(mail.Config{SMTPURL: srv.URL(), From: "BankApp <no-reply@bank.example>", Now: f.clk.Now}, nil)
	if err != nil {
		t.Fatal(err)
	}
	f.r.Register(jobs.KindMailSend, jobs.MailHandler(sender, 0))
	tpl, err := mail.NewTemplates(mail.Site{Origin: "https://bank.example"})
	if err != nil {
		t.Fatal(err)
	}
	return f, srv, tpl
}

// enqueueMail puts a reset message in the outbox the way auth will: in a
// transaction of its own work. It reports whether a row was added.
func (f *fixture) enqueueMail(m mail.Message, key string) bool {
	f.t.Helper()
	j, err := jobs.MailJob(m, key, f.clk.Now())
	if err != nil {
		f.t.Fatal(err)
	}
	var added bool
	err = f.db.InTx(f.ctx, func(tx *store.Tx) error {
		added, err = tx.EnqueueJob(f.ctx, j)
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return added
}

func TestMailJobRetriesTemporaryFailuresAndDeadLettersPermanentOnes(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f, srv, tpl := mailFixture(t, db)
		reset, err := tpl.PasswordReset("jane@example.com", "Jane", "tok-1", 30*time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if !f.enqueueMail(reset, "reset:1") || f.enqueueMail(reset, "reset:1") {
			t.Fatal("the dedupe key did not make the second enqueue a no-op")
		}

		// 451: temporary. The job waits for its backoff; nothing was sent.
		srv.Fail(mailtest.Failure{At: "RCPT", Code: 451, Message: "greylisted <jane@example.com>, try later"})
		f.at("2027-01-01T00:00:00Z")
		j := f.job("mail:reset:1")
		if j.Status != store.JobPending || j.Attempts != 1 || !strings.Contains(j.LastError, "451") || j.MaxAttempts != jobs.MailMaxAttempts {
			t.Fatalf("after a 451: %s", brief(j))
		}
		if strings.Contains(j.LastError, "jane@example.com") {
			t.Fatalf("last_error names the recipient: %q", j.LastError)
		}
		if srv.Refused() != 1 || len(srv.Messages()) != 0 {
			t.Fatalf("refused %d, delivered %d", srv.Refused(), len(srv.Messages()))
		}
		// Not due yet; then due, and delivered once.
		f.at("2027-01-01T00:00:30Z")
		if len(srv.Messages()) != 0 {
			t.Fatal("retried before the backoff")
		}
		f.at("2027-01-01T00:02:00Z")
		got := srv.Next(t)
		if tok, err := got.Token("/reset-password"); err != nil || tok != "tok-1" {
			t.Fatalf("token %q, %v", tok, err)
		}
		if got.To[0] != "jane@example.com" || got.Subject != reset.Subject {
			t.Fatalf("delivered %q to %v", got.Subject, got.To)
		}
		if j := f.job("mail:reset:1"); j.Status != store.JobDone || j.Attempts != 2 {
			t.Fatalf("after delivery: %s", brief(j))
		}

		// 550: permanent. Dead at once, never tried again.
		notice, err := tpl.Notice("joe@example.com", "", mail.Notice{Kind: mail.KindPasswordChanged, At: f.clk.Now()})
		if err != nil {
			t.Fatal(err)
		}
		f.enqueueMail(notice, "notice:2")
		srv.Fail(mailtest.Failure{At: "RCPT", Code: 550, Message: "5.1.1 <joe@example.com>: no such user"})
		f.at("2027-01-01T00:03:00Z")
		j = f.job("mail:notice:2")
		if j.Status != store.JobDead || j.Attempts != 1 || !strings.Contains(j.LastError, "550") || strings.Contains(j.LastError, "joe@example.com") {
			t.Fatalf("after a 550: %s", brief(j))
		}
		f.at("2027-01-02T00:00:00Z")
		if n := len(srv.Messages()); n != 1 {
			t.Fatalf("%d messages delivered, want only the reset", n)
		}
		if got := f.metric("bankapp_jobs_failed_total", "outcome", "retry"); got != 1 {
			t.Errorf("retries %v", got)
		}
		if got := f.metric("bankapp_jobs_failed_total", "outcome", "dead"); got != 1 {
			t.Errorf("dead letters %v", got)
		}
	})
}

func TestMailJobIsSentOnlyIfItsTransactionCommits(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f, srv, tpl := mailFixture(t, db)
		m, err := tpl.VerifyEmail("jane@example.com", "", "tok", 0)
		if err != nil {
			t.Fatal(err)
		}
		j, err := jobs.MailJob(m, "verify:1", f.clk.Now())
		if err != nil {
			t.Fatal(err)
		}
		refused := errors.New("registration refused after the enqueue")
		err = db.InTx(f.ctx, func(tx *store.Tx) error {
			if _, err := tx.EnqueueJob(f.ctx, j); err != nil {
				return err
			}
			return refused
		})
		if !errors.Is(err, refused) {
			t.Fatal(err)
		}
		f.at("2027-01-01T00:00:00Z")
		if n := len(srv.Messages()); n != 0 {
			t.Fatalf("%d messages sent for a rolled-back transaction", n)
		}
		if _, err := db.JobByDedupeKey(f.ctx, "mail:verify:1"); err == nil {
			t.Fatal("the outbox row survived the rollback")
		}
	})
}

func TestMailJobWithABadPayloadIsDeadLettered(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f, srv, _ := mailFixture(t, db)
		for key, payload := range map[string]string{
			"mail:garbled":   `{"to": 42}`,
			"mail:no-text":   `{"to": "jane@example.com", "subject": "x", "kind": "verify_email"}`,
			"mail:bad-rcpt":  `{"to": "not an address", "subject": "x", "text": "y"}`,
			"mail:multiline": `{"to": "jane@example.com", "subject": "x\r\nBcc: a@b.example", "text": "y"}`,
		} {
			if _, err := db.EnqueueJob(f.ctx, store.Job{Kind: jobs.KindMailSend, DedupeKey: key, Payload: []byte(payload), RunAt: f.clk.Now()}); err != nil {
				t.Fatal(err)
			}
		}
		f.at("2027-01-01T00:00:00Z")
		for _, key := range []string{"mail:garbled", "mail:no-text", "mail:bad-rcpt", "mail:multiline"} {
			if j := f.job(key); j.Status != store.JobDead || j.Attempts != 1 {
				t.Errorf("%s: %s, want dead after one attempt", key, brief(j))
			}
		}
		if n := len(srv.Messages()); n != 0 {
			t.Fatalf("%d messages sent", n)
		}
	})
}

func TestMailJobRefusesBadKeys(t *testing.T) {
	m := mail.Message{To: "jane@example.com", Subject: "s", Text: "t"}
	for _, key := range []string{"", "reset:jane@example.com"} {
		if _, err := jobs.MailJob(m, key, time.Now()); err == nil {
			t.Errorf("key %q accepted", key)
		}
	}
	if _, err := jobs.MailJob(mail.Message{Subject: "s", Text: "t"}, "k", time.Now()); err == nil {
		t.Error("a message without a recipient accepted")
	}
	j, err := jobs.MailJob(m, "reset:1", time.Now())
	if err != nil || j.Kind != "mail_send" || j.DedupeKey != "mail:reset:1" || !strings.Contains(string(j.Payload), `"key":"mail:reset:1"`) {
		t.Fatalf("%+v %v", j, err)
	}
}

// brief is a job without its payload (which holds the whole message).
func brief(j store.Job) string {
	return fmt.Sprintf("%s %s attempts %d/%d last_error %q", j.DedupeKey, j.Status, j.Attempts, j.MaxAttempts, j.LastError)
}

// TestMailJobPayloadIsRedactedWhenItLeavesTheQueue: a delivered message
// keeps only its kind, subject, key and recipient hash; a dead-lettered one
// carrying a single-use link is redacted too (and a requeue of it fails
// without sending), while a dead notice keeps its payload for a requeue.
func TestMailJobPayloadIsRedactedWhenItLeavesTheQueue(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f, srv, tpl := mailFixture(t, db)
		live := func(key string) string {
			t.Helper()
			return string(f.job(key).Payload)
		}
		reset, err := tpl.PasswordReset("jane@example.com", "Jane", "secret-token-1", 30*time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		notice, err := tpl.Notice("jane@example.com", "Jane", mail.Notice{Kind: mail.KindTOTPEnabled, At: f.clk.Now()})
		if err != nil {
			t.Fatal(err)
		}
		deadReset, err := tpl.PasswordReset("joe@example.com", "Joe", "secret-token-2", 30*time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		f.enqueueMail(reset, "reset:1")
		if p := live("mail:reset:1"); !strings.Contains(p, "secret-token-1") {
			t.Fatalf("a pending message must keep its body to be sent: %s", p)
		}
		f.at("2027-01-01T00:00:00Z")
		p := live("mail:reset:1")
		if f.job("mail:reset:1").Status != store.JobDone || strings.Contains(p, "secret-token-1") || strings.Contains(p, "jane@example.com") ||
			!strings.Contains(p, `"kind":"password_reset"`) || !strings.Contains(p, `"to_hash":"`+mail.RecipientHash("jane@example.com")+`"`) {
			t.Fatalf("a delivered reset keeps %s", p)
		}

		srv.Fail(mailtest.Failure{At: "RCPT", Code: 550}, mailtest.Failure{At: "RCPT", Code: 550})
		f.enqueueMail(deadReset, "reset:2")
		f.enqueueMail(notice, "notice:3")
		f.at("2027-01-01T00:01:00Z")
		if j := f.job("mail:reset:2"); j.Status != store.JobDead || strings.Contains(string(j.Payload), "secret-token-2") || !mail.IsRedacted(j.Payload) {
			t.Fatalf("a dead reset keeps %s: %s", j.Status, j.Payload)
		}
		if j := f.job("mail:notice:3"); j.Status != store.JobDead || mail.IsRedacted(j.Payload) {
			t.Fatalf("a dead notice lost its payload: %s %s", j.Status, j.Payload)
		}
		// An operator requeues both: the notice goes out, the reset cannot.
		for _, key := range []string{"mail:reset:2", "mail:notice:3"} {
			if err := db.RequeueJob(f.ctx, f.job(key).ID, f.clk.Now()); err != nil {
				t.Fatal(err)
			}
		}
		f.at("2027-01-01T00:02:00Z")
		if j := f.job("mail:notice:3"); j.Status != store.JobDone || !mail.IsRedacted(j.Payload) {
			t.Fatalf("the requeued notice: %s", brief(j))
		}
		if j := f.job("mail:reset:2"); j.Status != store.JobDead || !strings.Contains(j.LastError, "redacted") {
			t.Fatalf("the requeued redacted reset: %s", brief(j))
		}
		if n := len(srv.Messages()); n != 2 {
			t.Fatalf("%d messages delivered, want the first reset and the notice", n)
		}
	})
}
