package mailtest_test

import (
	"context"
	"errors"
	"net/smtp"
	"strings"
	"testing"

	"github.com/bankapp/bankapp/internal/mail/mailtest"
)

// A message another client might send: multipart/mixed around
// multipart/alternative, a base64 text part, an encoded-word subject.
const raw = "From: bank@example.com\r\n" +
	"To: jane@example.com\r\n" +
	"Subject: =?utf-8?q?R=C3=A9initialiser?=\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/mixed; boundary=outer\r\n" +
	"\r\n" +
	"--outer\r\n" +
	"Content-Type: multipart/alternative; boundary=inner\r\n" +
	"\r\n" +
	"--inner\r\n" +
	"Content-Type: text/plain; charset=utf-8\r\n" +
	"Content-Transfer-Encoding: base64\r\n" +
	"\r\n" +
	"T3BlbiBodHRwczovL2JhbmsuZXhhbXBsZS9yZXNldC1wYXNzd29yZD90b2tlbj1hYmMt\r\n" +
	"MTIzLg==\r\n" +
	"--inner\r\n" +
	"Content-Type: text/html; charset=utf-8\r\n" +
	"Content-Transfer-Encoding: quoted-printable\r\n" +
	"\r\n" +
	"<a href=3D\"https://bank.example/reset-password?token=3Dabc-123\">Open</a>\r\n" +
	"--inner--\r\n" +
	"--outer--\r\n"

func TestServerParsesWhatAnySMTPClientSends(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	if err := smtp.SendMail(srv.Addr(), nil, "bank@example.com", []string{"joe@example.com", "jane@example.com"}, []byte(raw)); err != nil {
		t.Fatal(err)
	}
	m := srv.NextTo(t, "JANE@example.com")
	if m.ParseErr != nil {
		t.Fatal(m.ParseErr)
	}
	if m.Subject != "Réinitialiser" || m.From != "bank@example.com" || len(m.To) != 2 {
		t.Fatalf("subject %q from %q to %v", m.Subject, m.From, m.To)
	}
	if m.Text != "Open https://bank.example/reset-password?token=abc-123." {
		t.Fatalf("text %q", m.Text)
	}
	if tok, err := m.Token("/reset-password"); err != nil || tok != "abc-123" {
		t.Fatalf("token %q %v", tok, err)
	}
	if _, err := m.Token("/verify-email"); err == nil {
		t.Fatal("a token for a link that is not there")
	}
	// The HTML part must link to the same URL as the text part.
	m.HTML = strings.Replace(m.HTML, "abc-123", "other", 1)
	if _, err := m.Token("/reset-password"); err == nil {
		t.Fatal("parts that disagree were accepted")
	}
}

func TestFailuresAreUsedOnceInOrder(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	srv.Fail(mailtest.Failure{At: "MAIL", Code: 421}, mailtest.Failure{At: "DATA", Code: 554, Message: "spam"})
	send := func() error {
		return smtp.SendMail(srv.Addr(), nil, "bank@example.com", []string{"jane@example.com"}, []byte(raw))
	}
	for _, want := range []string{"421", "spam", ""} {
		err := send()
		if want == "" && err != nil || want != "" && (err == nil || !strings.Contains(err.Error(), want)) {
			t.Fatalf("got %v, want %q", err, want)
		}
	}
	if srv.Refused() != 2 || len(srv.Messages()) != 1 {
		t.Fatalf("refused %d, accepted %d", srv.Refused(), len(srv.Messages()))
	}
}

func TestWaitEndsWithItsContext(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := srv.Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait on a cancelled context: %v", err)
	}
}

func TestAuthIsRequiredWhenConfigured(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{Username: "u", Password: "p", InsecureAuth: true})
	if err := smtp.SendMail(srv.Addr(), nil, "bank@example.com", []string{"jane@example.com"}, []byte(raw)); err == nil {
		t.Fatal("sent without AUTH")
	}
	if err := smtp.SendMail(srv.Addr(), smtp.PlainAuth("", "u", "p", "127.0.0.1"), "bank@example.com", []string{"jane@example.com"}, []byte(raw)); err != nil {
		t.Fatal(err)
	}
	if m := srv.Next(t); m.User != "u" {
		t.Fatalf("user %q", m.User)
	}
	if !strings.HasPrefix(srv.URL(), "smtp://u:p@127.0.0.1:") {
		t.Fatalf("URL %q", srv.URL())
	}
}

func TestHoldStopsATransactionUntilDropped(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	h := srv.Hold()
	sent := make(chan error, 1)
	go func() {
		sent <- smtp.SendMail(srv.Addr(), nil, "bank@example.com", []string{"jane@example.com"}, []byte(raw))
	}()
	<-h.Reached()
	select {
	case err := <-sent:
		t.Fatalf("the client heard back while the transaction was held: %v", err)
	default:
	}
	h.Drop()
	if err := <-sent; err == nil || !strings.Contains(err.Error(), "421") {
		t.Fatalf("after Drop: %v, want a 421", err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("a dropped transaction kept %d messages", n)
	}
	// The hold was used once: the next message goes through.
	if err := smtp.SendMail(srv.Addr(), nil, "bank@example.com", []string{"jane@example.com"}, []byte(raw)); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Fatalf("%d messages", n)
	}
	// Close ends a transaction still held.
	h = srv.Hold()
	go func() {
		sent <- smtp.SendMail(srv.Addr(), nil, "bank@example.com", []string{"jane@example.com"}, []byte(raw))
	}()
	<-h.Reached()
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-sent; err == nil {
		t.Fatal("a held transaction succeeded after Close")
	}
}
