package jobs_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/bankapp/bankapp/internal/jobs"
	"github.com/bankapp/bankapp/internal/mail"
	"github.com/bankapp/bankapp/internal/mail/mailtest"
	"github.com/bankapp/bankapp/internal/store"
	"github.com/bankapp/bankapp/internal/store/storetest"
)

// TestJobAndMailSpans: with a tracer provider, each job attempt is a root
// span job.<kind> (kind, attempt, outcome; failed when the attempt fails)
// with the job's SQL and its mail delivery (mail.send: driver, kind,
// outcome) beneath it — and no recipient address anywhere in a span.
func TestJobAndMailSpans(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		rec := tracetest.NewSpanRecorder()
		tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
		t.Cleanup(func() { _ = tp.Shutdown(t.Context()) })
		f := newFixture(t, db, "2027-01-01T00:00:00Z", func(o *jobs.Options) { o.TracerProvider = tp })
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
		reset, err := tpl.PasswordReset("jane@example.com", "Jane", "tok-1", 30*time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		f.enqueueMail(reset, "reset:1")

		srv.Fail(mailtest.Failure{At: "RCPT", Code: 451, Message: "greylisted <jane@example.com>"})
		f.at("2027-01-01T00:00:00Z")
		f.at("2027-01-01T00:05:00Z") // past the backoff: delivered

		var runs []sdktrace.ReadOnlySpan
		children := map[string][]sdktrace.ReadOnlySpan{}
		for _, s := range rec.Ended() {
			if s.Name() == "job."+jobs.KindMailSend {
				runs = append(runs, s)
			}
			children[s.Parent().SpanID().String()] = append(children[s.Parent().SpanID().String()], s)
			for _, a := range s.Attributes() {
				if strings.Contains(a.Value.Emit(), "jane@") {
					t.Errorf("span %s attribute %s holds the address: %s", s.Name(), a.Key, a.Value.Emit())
				}
			}
			if strings.Contains(s.Status().Description, "jane@") {
				t.Errorf("span %s status holds the address", s.Name())
			}
		}
		if len(runs) != 2 {
			t.Fatalf("%d job.mail_send spans, want one per attempt (2)", len(runs))
		}
		for i, want := range []struct {
			attempt  int64
			outcome  string
			status   codes.Code
			delivery string
		}{{1, "retry", codes.Error, "temporary"}, {2, "done", codes.Unset, "sent"}} {
			run := runs[i]
			attrs := attrMap(run)
			if run.Parent().IsValid() || attrs["bankapp.job.kind"] != jobs.KindMailSend || attrs["bankapp.job.attempt"] != fmt.Sprint(want.attempt) ||
				attrs["bankapp.job.outcome"] != want.outcome || run.Status().Code != want.status {
				t.Errorf("attempt %d: root %v, attributes %v, status %v", want.attempt, !run.Parent().IsValid(), attrs, run.Status())
			}
			var sent, sql int
			for _, c := range children[run.SpanContext().SpanID().String()] {
				switch {
				case c.Name() == "mail.send":
					sent++
					ca := attrMap(c)
					if ca["bankapp.mail.driver"] != "smtp" || ca["bankapp.mail.kind"] != reset.Kind || ca["bankapp.mail.outcome"] != want.delivery {
						t.Errorf("attempt %d: mail.send attributes %v", want.attempt, ca)
					}
				case c.Name() == "store.InTx" || c.Name() == "BEGIN":
					sql++
				}
			}
			if sent != 1 || sql != 1 {
				t.Errorf("attempt %d: %d mail.send and %d transaction spans under the run, want 1 and 1", want.attempt, sent, sql)
			}
		}
	})
}

func attrMap(s sdktrace.ReadOnlySpan) map[string]string {
	m := map[string]string{}
	for _, a := range s.Attributes() {
		m[string(a.Key)] = a.Value.Emit()
	}
	return m
}
