// Package mailtest runs a real SMTP server in the test process
// (github.com/emersion/go-smtp on 127.0.0.1): it speaks the whole protocol —
// EHLO, optional STARTTLS with a self-signed certificate, optional AUTH,
// MAIL, RCPT, DATA — and keeps every message it accepted, parsed into its
// headers, text part and HTML part. Tests wait for a message with Next (a
// channel, no sleeps), read a token out of its link with Token, and make the
// server refuse transactions with Fail to exercise 4xx and 5xx handling.
//
//	srv := mailtest.Start(t, mailtest.Options{})
//	sender, _ := mail.New(mail.Config{SMTPURL: srv.URL(), From: "bank@example.com"}, nil)
//	... the code under test sends a reset email ...
//	token, err := srv.Next(t).Token("/reset-password")
package mailtest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Options configure a Server. The zero value is a plain SMTP server that
// accepts everything.
type Options struct {
	// STARTTLS advertises STARTTLS with a self-signed certificate for
	// 127.0.0.1 and localhost; clients trust it through Server.RootCAs.
	STARTTLS bool
	// Username and Password, when set, require AUTH PLAIN before MAIL
	// (offered only after STARTTLS unless InsecureAuth).
	Username, Password string
	InsecureAuth       bool
}

// Failure makes the server refuse one transaction at a stage.
type Failure struct {
	At      string // "MAIL", "RCPT" or "DATA" (after the message was read)
	Code    int    // 421, 450, 451, 452, 550, 552, 553, 554, …
	Message string // the reply text; empty: a stock one
}

// Server is a running SMTP server. Its methods are safe for concurrent use.
type Server struct {
	srv     *smtp.Server
	ln      net.Listener
	opts    Options
	roots   *x509.CertPool
	served  chan struct{}
	mu      sync.Mutex
	msgs    []Message
	read    int           // how many messages Next has returned
	arrived chan struct{} // closed and replaced when a message arrives
	fails   []Failure
	refused int
	holds   []*Hold
	closing chan struct{} // closed by Close: held transactions end
}

// Hold is a transaction the server stops in the middle: it has read the
// whole message (after DATA) and answers nothing until Drop — the moment a
// client can die between handing a message over and hearing it accepted.
type Hold struct {
	reached chan struct{}
	drop    chan struct{}
	once    sync.Once
}

// Reached is closed when the held transaction has read its message.
func (h *Hold) Reached() <-chan struct{} { return h.reached }

// Drop ends the held transaction with 421 and keeps nothing, as a server
// does whose client went away before the reply.
func (h *Hold) Drop() { h.once.Do(func() { close(h.drop) }) }

// Hold queues a hold: the next transaction (one per MAIL FROM) that no
// Failure claims stops after reading its message, until Drop.
func (s *Server) Hold() *Hold {
	h := &Hold{reached: make(chan struct{}), drop: make(chan struct{})}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.holds = append(s.holds, h)
	return h
}

func (s *Server) takeHold() *Hold {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.holds) == 0 {
		return nil
	}
	h := s.holds[0]
	s.holds = s.holds[1:]
	return h
}

// Start starts a server on a free port of 127.0.0.1; the test's cleanup
// stops it.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// New starts a server outside a test (a development tool, a benchmark).
// Close stops it.
func New(opts Options) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("mailtest: listen: %w", err)
	}
	s := &Server{ln: ln, opts: opts, served: make(chan struct{}), arrived: make(chan struct{}), closing: make(chan struct{})}
	srv := smtp.NewServer(backend{s})
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 30*time.Second, 30*time.Second
	srv.MaxMessageBytes = 10 << 20
	srv.MaxRecipients = 50
	srv.AllowInsecureAuth = opts.InsecureAuth
	srv.EnableSMTPUTF8 = true
	srv.ErrorLog = log.New(io.Discard, "", 0)
	if opts.STARTTLS {
		cert, roots, err := selfSigned()
		if err != nil {
			_ = ln.Close()
			return nil, err
		}
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		s.roots = roots
	}
	s.srv = srv
	go func() {
		defer close(s.served)
		_ = srv.Serve(ln)
	}()
	return s, nil
}

// Addr is the server's host:port.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// URL is an SMTP_URL for the server: smtp://[user:pass@]127.0.0.1:port.
func (s *Server) URL() string {
	if s.opts.Username != "" {
		return fmt.Sprintf("smtp://%s:%s@%s", s.opts.Username, s.opts.Password, s.Addr())
	}
	return "smtp://" + s.Addr()
}

// RootCAs trusts the server's STARTTLS certificate (nil without STARTTLS).
func (s *Server) RootCAs() *x509.CertPool { return s.roots }

// Close stops the server and closes open connections.
func (s *Server) Close() error {
	s.mu.Lock()
	select {
	case <-s.closing:
	default:
		close(s.closing)
	}
	s.mu.Unlock()
	err := s.srv.Close()
	// Serve registers the listener with go-smtp only once it runs: a Close
	// right after New must close it here, or Serve would block in Accept.
	_ = s.ln.Close()
	<-s.served
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

// Fail queues refusals: each of the next transactions (one per MAIL FROM)
// takes the next failure in the queue.
func (s *Server) Fail(f ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fails = append(s.fails, f...)
}

// Refused is how many transactions the queued failures refused so far.
func (s *Server) Refused() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refused
}

// Messages returns every message accepted so far, oldest first.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// Wait returns the next message that Wait or Next has not returned yet,
// waiting for it until ctx ends.
func (s *Server) Wait(ctx context.Context) (Message, error) {
	for {
		s.mu.Lock()
		if s.read < len(s.msgs) {
			m := s.msgs[s.read]
			s.read++
			s.mu.Unlock()
			return m, nil
		}
		ch := s.arrived
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return Message{}, fmt.Errorf("mailtest: no message: %w", ctx.Err())
		}
	}
}

// Next is Wait for tests: it fails the test when no message arrives within
// 10 seconds (or before the test's deadline).
func (s *Server) Next(t testing.TB) Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	m, err := s.Wait(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// NextTo skips messages to other recipients and returns the next one to addr.
func (s *Server) NextTo(t testing.TB, addr string) Message {
	t.Helper()
	for {
		m := s.Next(t)
		for _, to := range m.To {
			if strings.EqualFold(to, addr) {
				return m
			}
		}
	}
}

func (s *Server) deliver(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, m)
	close(s.arrived)
	s.arrived = make(chan struct{})
}

// takeFailure pops the failure of a new transaction, if one is queued.
func (s *Server) takeFailure() *Failure {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.fails) == 0 {
		return nil
	}
	f := s.fails[0]
	s.fails = s.fails[1:]
	return &f
}

func (s *Server) countRefusal() {
	s.mu.Lock()
	s.refused++
	s.mu.Unlock()
}

type backend struct{ s *Server }

func (b backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{s: b.s, conn: c}, nil
}

// session is one SMTP connection; a transaction runs from MAIL to DATA.
type session struct {
	s      *Server
	conn   *smtp.Conn
	user   string
	from   string
	to     []string
	failAt *Failure
	hold   *Hold
}

var _ smtp.AuthSession = (*session)(nil)

func (ss *session) AuthMechanisms() []string {
	if ss.s.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != ss.s.opts.Username || password != ss.s.opts.Password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication credentials invalid"}
		}
		ss.user = username
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.opts.Username != "" && ss.user == "" {
		return smtp.ErrAuthRequired
	}
	ss.from, ss.to = from, nil
	ss.failAt = ss.s.takeFailure()
	if ss.failAt == nil {
		ss.hold = ss.s.takeHold()
	}
	return ss.maybeFail("MAIL")
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if err := ss.maybeFail("RCPT"); err != nil {
		return err
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if err := ss.maybeFail("DATA"); err != nil {
		return err
	}
	if h := ss.hold; h != nil {
		ss.hold = nil
		close(h.reached)
		select {
		case <-h.drop:
		case <-ss.s.closing:
		}
		return &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 0, 0}, Message: "mailtest dropped this held transaction"}
	}
	_, isTLS := ss.conn.TLSConnectionState()
	m := parse(raw)
	m.From, m.To, m.TLS, m.User = ss.from, append([]string(nil), ss.to...), isTLS, ss.user
	ss.s.deliver(m)
	return nil
}

func (ss *session) maybeFail(stage string) error {
	f := ss.failAt
	if f == nil || !strings.EqualFold(f.At, stage) {
		return nil
	}
	ss.failAt = nil
	ss.s.countRefusal()
	msg := f.Message
	if msg == "" {
		msg = fmt.Sprintf("mailtest refuses this %s", stage)
	}
	return &smtp.SMTPError{Code: f.Code, EnhancedCode: smtp.EnhancedCode{f.Code / 100, 0, 0}, Message: msg}
}

func (ss *session) Reset() { ss.from, ss.to, ss.failAt, ss.hold = "", nil, nil, nil }

func (ss *session) Logout() error { return nil }
