package mail_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bankapp/bankapp/internal/mail"
	"github.com/bankapp/bankapp/internal/mail/mailtest"
)

var sentAt = time.Date(2027, 3, 4, 5, 6, 7, 0, time.UTC)

func newSender(t *testing.T, cfg mail.Config) mail.Sender {
	t.Helper()
	if cfg.From == "" {
		cfg.From = "BankApp <no-reply@bank.example>"
	}
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return sentAt }
	}
	s, err := mail.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func resetMessage(t *testing.T, to, key string) mail.Message {
	t.Helper()
	tpl, err := mail.NewTemplates(mail.Site{Origin: "https://bank.example"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := tpl.PasswordReset(to, "Jane", "tok-"+key, 30*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	m.Key = key
	return m
}

func TestSMTPDeliversTextAndHTMLAlternatives(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	s := newSender(t, mail.Config{SMTPURL: srv.URL()})
	m := resetMessage(t, "jane@example.com", "reset:1")
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	got := srv.Next(t)
	if got.ParseErr != nil {
		t.Fatal(got.ParseErr)
	}
	if got.From != "no-reply@bank.example" || len(got.To) != 1 || got.To[0] != "jane@example.com" {
		t.Fatalf("envelope %q → %q", got.From, got.To)
	}
	if got.TLS {
		t.Error("a server without STARTTLS delivered over TLS?")
	}
	h := got.Header
	if got.Subject != m.Subject || h.Get("From") != `"BankApp" <no-reply@bank.example>` || h.Get("To") != "<jane@example.com>" {
		t.Errorf("headers: subject %q, from %q, to %q", got.Subject, h.Get("From"), h.Get("To"))
	}
	if d, err := h.Date(); err != nil || !d.Equal(sentAt) {
		t.Errorf("Date %v (%v), want %v", d, err, sentAt)
	}
	if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/alternative;") {
		t.Errorf("Content-Type %q", ct)
	}
	if h.Get("Auto-Submitted") != "auto-generated" {
		t.Errorf("Auto-Submitted %q", h.Get("Auto-Submitted"))
	}
	if got.Text != m.Text || got.HTML != m.HTML {
		t.Errorf("parts differ from the message:\ntext %q\nwant %q\nhtml equal: %v", got.Text, m.Text, got.HTML == m.HTML)
	}
	tok, err := got.Token("/reset-password")
	if err != nil || tok != "tok-reset:1" {
		t.Fatalf("token %q, %v", tok, err)
	}

	// The same key gives the same Message-ID (a duplicate is recognisable);
	// another key another one.
	id := h.Get("Message-Id")
	if !strings.HasSuffix(id, "@bank.example>") {
		t.Errorf("Message-ID %q", id)
	}
	for _, key := range []string{"reset:1", "reset:2"} {
		if err := s.Send(context.Background(), resetMessage(t, "jane@example.com", key)); err != nil {
			t.Fatal(err)
		}
	}
	if again := srv.Next(t).Header.Get("Message-Id"); again != id {
		t.Errorf("same key: Message-ID %q, then %q", id, again)
	}
	if other := srv.Next(t).Header.Get("Message-Id"); other == id {
		t.Error("another key, same Message-ID")
	}
}

func TestSMTPUsesSTARTTLSAndAuthenticates(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{STARTTLS: true, Username: "bank", Password: "s3cret pass"})
	s := newSender(t, mail.Config{SMTPURL: "smtp://bank:s3cret%20pass@" + srv.Addr(), RootCAs: srv.RootCAs()})
	if err := s.Send(context.Background(), resetMessage(t, "jane@example.com", "k")); err != nil {
		t.Fatal(err)
	}
	got := srv.Next(t)
	if !got.TLS || got.User != "bank" {
		t.Fatalf("TLS %v, user %q: want STARTTLS and AUTH", got.TLS, got.User)
	}

	// A wrong password is a 535: permanent.
	bad := newSender(t, mail.Config{SMTPURL: "smtp://bank:wrong@" + srv.Addr(), RootCAs: srv.RootCAs()})
	err := bad.Send(context.Background(), resetMessage(t, "jane@example.com", "k"))
	var se *mail.SendError
	if !errors.As(err, &se) || se.Code != 535 || !mail.IsPermanent(err) {
		t.Fatalf("wrong password: %v", err)
	}
	if strings.Contains(err.Error(), "wrong") {
		t.Errorf("the error repeats the password: %v", err)
	}
}

func TestSMTPTLSIsVerifiedAndRequiredWhenAsked(t *testing.T) {
	tlsSrv := mailtest.Start(t, mailtest.Options{STARTTLS: true})
	// STARTTLS offered but the certificate is not trusted: no fallback to
	// plain text, the message is not sent.
	s := newSender(t, mail.Config{SMTPURL: tlsSrv.URL()})
	err := s.Send(context.Background(), resetMessage(t, "jane@example.com", "k"))
	if err == nil || mail.IsPermanent(err) {
		t.Fatalf("untrusted certificate: %v, want a temporary error", err)
	}
	if n := len(tlsSrv.Messages()); n != 0 {
		t.Fatalf("%d messages delivered despite the bad certificate", n)
	}

	// starttls=required refuses a server that does not offer it.
	plain := mailtest.Start(t, mailtest.Options{})
	s = newSender(t, mail.Config{SMTPURL: plain.URL() + "?starttls=required"})
	if err := s.Send(context.Background(), resetMessage(t, "jane@example.com", "k")); err == nil {
		t.Fatal("starttls=required sent over plain text")
	}
	if n := len(plain.Messages()); n != 0 {
		t.Fatalf("%d messages delivered in clear", n)
	}
}

func TestSMTPFailuresArePermanentOrTemporary(t *testing.T) {
	cases := []struct {
		at        string
		code      int
		permanent bool
	}{
		{"MAIL", 421, false},
		{"MAIL", 451, false},
		{"RCPT", 450, false},
		{"RCPT", 452, false},
		{"RCPT", 550, true},
		{"RCPT", 553, true},
		{"DATA", 451, false},
		{"DATA", 554, true},
	}
	srv := mailtest.Start(t, mailtest.Options{})
	s := newSender(t, mail.Config{SMTPURL: srv.URL()})
	for _, c := range cases {
		srv.Fail(mailtest.Failure{At: c.at, Code: c.code, Message: "refused <jane@example.com>"})
		err := s.Send(context.Background(), resetMessage(t, "jane@example.com", "k"))
		var se *mail.SendError
		if !errors.As(err, &se) {
			t.Fatalf("%s %d: %v, want a *mail.SendError", c.at, c.code, err)
		}
		if se.Code != c.code || mail.IsPermanent(err) != c.permanent || mail.IsTemporary(err) == c.permanent {
			t.Errorf("%s %d: code %d permanent %v (%v)", c.at, c.code, se.Code, mail.IsPermanent(err), err)
		}
		if strings.Contains(err.Error(), "jane@example.com") {
			t.Errorf("%s %d: the error names the recipient: %v", c.at, c.code, err)
		}
	}
	if srv.Refused() != len(cases) || len(srv.Messages()) != 0 {
		t.Fatalf("refused %d, delivered %d", srv.Refused(), len(srv.Messages()))
	}
	// The failures are used up: the next message goes through.
	if err := s.Send(context.Background(), resetMessage(t, "jane@example.com", "k")); err != nil {
		t.Fatal(err)
	}
	srv.Next(t)
}

func TestSMTPNetworkFailuresAreTemporary(t *testing.T) {
	// Nothing listens on a port that was just closed.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	s := newSender(t, mail.Config{SMTPURL: "smtp://" + addr})
	if err := s.Send(context.Background(), resetMessage(t, "jane@example.com", "k")); err == nil || mail.IsPermanent(err) {
		t.Fatalf("connection refused: %v, want temporary", err)
	}

	// A server that accepts and never greets: the timeout ends the attempt.
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	held := make(chan net.Conn, 1)
	go func() {
		c, err := silent.Accept()
		if err == nil {
			held <- c
		}
	}()
	defer func() {
		select {
		case c := <-held:
			c.Close()
		default:
		}
	}()
	s = newSender(t, mail.Config{SMTPURL: "smtp://" + silent.Addr().String(), Timeout: 300 * time.Millisecond})
	err = s.Send(context.Background(), resetMessage(t, "jane@example.com", "k"))
	if err == nil || mail.IsPermanent(err) {
		t.Fatalf("silent server: %v, want temporary", err)
	}
}

func TestSendLogsKindAndHashNeverBodyOrAddress(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	var logs bytes.Buffer
	reg := prometheus.NewRegistry()
	s, err := mail.New(mail.Config{SMTPURL: srv.URL(), From: "no-reply@bank.example", Registerer: reg},
		slog.New(slog.NewJSONHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	m := resetMessage(t, "jane@example.com", "k")
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	srv.Fail(mailtest.Failure{At: "RCPT", Code: 550, Message: "no such user jane@example.com"})
	if err := s.Send(context.Background(), m); !mail.IsPermanent(err) {
		t.Fatalf("550: %v", err)
	}
	out := logs.String()
	for _, secret := range []string{"jane@example.com", "tok-k", "reset-password"} {
		if strings.Contains(out, secret) {
			t.Errorf("the log holds %q:\n%s", secret, out)
		}
	}
	for _, want := range []string{`"kind":"password_reset"`, `"to_hash":"` + mail.RecipientHash("jane@example.com") + `"`, `"msg":"mail sent"`, `"outcome":"permanent"`} {
		if !strings.Contains(out, want) {
			t.Errorf("the log lacks %s:\n%s", want, out)
		}
	}
	sent := sentTotal(t, reg, "smtp", "password_reset", "sent")
	failed := sentTotal(t, reg, "smtp", "password_reset", "permanent")
	if sent != 1 || failed != 1 {
		t.Fatalf("bankapp_mail_sent_total: sent %v, permanent %v", sent, failed)
	}
}

// sentTotal reads bankapp_mail_sent_total{driver,kind,outcome}.
func sentTotal(t *testing.T, reg *prometheus.Registry, driver, kind, outcome string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"driver": driver, "kind": kind, "outcome": outcome}
	for _, mf := range mfs {
		if mf.GetName() != "bankapp_mail_sent_total" {
			continue
		}
	metric:
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if want[l.GetName()] != l.GetValue() {
					continue metric
				}
			}
			return m.GetCounter().GetValue()
		}
	}
	return 0
}
