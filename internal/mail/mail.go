// Package mail sends BankApp's transactional email: account verification,
// password reset links and security notices. A Sender delivers one Message
// through one driver — SMTP (SMTP_URL), Amazon SES (MAIL_DRIVER=ses) or, in
// development, a file outbox — chosen by Config; templates.go renders the
// messages. Delivery runs in the job queue (internal/jobs, kind mail_send),
// never inside a money or auth transaction. See docs/email.md.
//
// Nothing here logs a body, a link or a token outside the development
// outbox: logs name the message kind and a hash of the recipient.
package mail

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"regexp"
	"strings"
)

// JobKind is the job-queue kind whose payload is a Message as JSON
// (internal/jobs registers its handler under this name). It lives here so
// that packages which cannot import internal/jobs can enqueue mail.
const JobKind = "mail_send"

// Message is one email to one recipient. It is also the mail_send job's
// payload, so it must hold everything needed to send it again.
type Message struct {
	To      string `json:"to"`      // one address, "jane@example.com" or "Jane Doe <jane@example.com>"
	Subject string `json:"subject"` // a single line
	Text    string `json:"text"`    // the text/plain part
	HTML    string `json:"html"`    // the text/html part; empty sends text only
	// Kind names the message for metrics and logs (KindVerifyEmail, …).
	Kind string `json:"kind"`
	// Key identifies the message across retries: the job's dedupe key. The
	// Message-ID header and the outbox file name derive from it, so a
	// message sent twice (at-least-once delivery) carries the same
	// Message-ID both times. Empty: a random Message-ID.
	Key string `json:"key,omitempty"`
}

// Sender delivers a message. An error wraps a *SendError when the driver
// could classify it; IsPermanent tells a retry from a dead letter.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// validate checks what every driver needs.
func (m Message) validate() error {
	switch {
	case strings.TrimSpace(m.To) == "":
		return Permanent(errors.New("mail: message has no recipient"))
	case strings.ContainsAny(m.Subject, "\r\n"):
		return Permanent(errors.New("mail: subject spans lines"))
	case m.Text == "":
		return Permanent(errors.New("mail: message has no text part"))
	}
	return nil
}

// SendError is a classified delivery failure. Its text never holds the
// message body, and addresses in a server's reply are masked, so it can go
// to logs and to the job's last_error.
type SendError struct {
	Driver    string // smtp, ses, file
	Op        string // what failed: "dial", "RCPT TO", "SendEmail", …
	Code      int    // SMTP reply code or HTTP status; 0 when none
	Permanent bool   // retrying the same message cannot succeed
	Detail    string // the server's reply, addresses masked
	err       error
}

func (e *SendError) Error() string {
	class := "temporary"
	if e.Permanent {
		class = "permanent"
	}
	s := "mail: "
	if e.Driver != "" {
		s += e.Driver + " "
	}
	s += e.Op + ": " + class + " failure"
	if e.Code != 0 {
		s += fmt.Sprintf(" (%d)", e.Code)
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// Unwrap returns the driver's own error (which may name the recipient:
// don't log it).
func (e *SendError) Unwrap() error { return e.err }

// Permanent marks err as a failure that retrying cannot fix (a malformed
// message, an address the server refuses with 5xx).
func Permanent(err error) error {
	return &SendError{Op: "message", Permanent: true, Detail: maskAddresses(err.Error()), err: err}
}

// IsPermanent reports whether err is a delivery failure that retrying the
// same message cannot fix: an SMTP 5xx reply, an SES request SES refuses as
// invalid, a malformed message. Everything else — 4xx replies, network
// errors, timeouts, throttling, 5xx from SES — is temporary, and so is an
// error this package did not classify.
func IsPermanent(err error) bool {
	var se *SendError
	return errors.As(err, &se) && se.Permanent
}

// IsTemporary reports whether err is worth retrying: any error that is not
// permanent.
func IsTemporary(err error) bool { return err != nil && !IsPermanent(err) }

// RecipientHash identifies an address in logs without revealing it: the
// first 16 hex digits of SHA-256 of the lower-cased bare address. Support
// staff can compute it for an address a customer gives them.
func RecipientHash(addr string) string {
	a := strings.ToLower(strings.TrimSpace(bareAddress(addr)))
	sum := sha256.Sum256([]byte(a))
	return hex.EncodeToString(sum[:8])
}

// bareAddress turns "Jane <jane@example.com>" into jane@example.com.
func bareAddress(addr string) string {
	if i := strings.LastIndexByte(addr, '<'); i >= 0 {
		if j := strings.IndexByte(addr[i:], '>'); j > 0 {
			return addr[i+1 : i+j]
		}
	}
	return addr
}

var addressPattern = regexp.MustCompile(`[^\s<>"'(),;:]+@[^\s<>"'(),;:]+`)

// maskAddresses replaces every email address in s by its RecipientHash, so
// that a server's reply ("550 5.1.1 <jane@example.com>: unknown user") can
// be logged.
func maskAddresses(s string) string {
	return addressPattern.ReplaceAllStringFunc(s, func(a string) string { return "rcpt:" + RecipientHash(a) })
}

// isNetError reports a network failure or timeout (always temporary).
func isNetError(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded)
}
