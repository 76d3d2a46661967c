package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/bankapp/bankapp/internal/auth"
	"github.com/bankapp/bankapp/internal/mail"
	"github.com/bankapp/bankapp/internal/store"
)

// KindMailSend delivers one email; its payload is a mail.Message as JSON.
const KindMailSend = mail.JobKind

// KindPasswordResetRequest is a password-reset request waiting to be
// answered (auth.Service.RequestPasswordReset, docs/security.md).
const KindPasswordResetRequest = auth.KindPasswordResetRequest

// MailMaxAttempts is how often a message is tried before it is
// dead-lettered: with the runner's backoff (5 s doubling) the last attempt
// comes about 10 minutes after the first, within a reset link's 30 minutes.
const MailMaxAttempts = mail.MaxAttempts

// DefaultMailTimeout bounds one delivery attempt.
const DefaultMailTimeout = 30 * time.Second

// MailJob is the outbox row of a message: enqueue it with tx.EnqueueJob in
// the transaction that decides to send it (the reset token, the password
// change), so that the message exists if and only if that transaction
// commits. The domain does the same through its Tx (store's EnqueueMail).
// key names the message for good — "reset:<token id>", "verify:<token id>",
// "notice:<kind>:<id>" — and must hold no address or token (it is logged);
// the job's dedupe key is "mail:"+key (mail.NewOutbox).
func MailJob(m mail.Message, key string, runAt time.Time) (store.Job, error) {
	o, err := mail.NewOutbox(m, key)
	if err != nil {
		return store.Job{}, fmt.Errorf("jobs: %w", err)
	}
	return store.Job{Kind: KindMailSend, DedupeKey: o.DedupeKey, Payload: o.Payload, RunAt: runAt, MaxAttempts: o.MaxAttempts}, nil
}

// MailHandler returns the handler of KindMailSend. Register it on the
// runner: r.Register(jobs.KindMailSend, jobs.MailHandler(sender, 0)).
//
// It sends inside the job's transaction, after the fence: on PostgreSQL the
// job row stays locked while the message goes out, so no other instance
// can take the job over mid-send, however long the server takes. A
// temporary failure (4xx, network, throttling) returns as is and the job
// is retried with the runner's backoff; a permanent one (5xx, a malformed
// message) is dead-lettered at once. Delivery is at least once: a crash
// after the server accepted the message and before the commit sends it
// again, with the same Message-ID. timeout bounds one attempt
// [DefaultMailTimeout].
//
// The transaction that marks the job done also redacts its payload
// (redactMail), so the address and the body — a live reset link — stay in
// the jobs table only while the message waits to go out.
func MailHandler(s mail.Sender, timeout time.Duration) Handler {
	if timeout <= 0 {
		timeout = DefaultMailTimeout
	}
	return func(ctx context.Context, _ *store.Tx, j store.Job) error {
		if mail.IsRedacted(j.Payload) {
			return Permanent(errors.New("the message was redacted when it left the queue and cannot be sent again; the customer can ask for a new one"))
		}
		var m mail.Message
		if err := json.Unmarshal(j.Payload, &m); err != nil {
			return Permanent(fmt.Errorf("mail payload is not a message: %w", err))
		}
		if m.Key == "" {
			m.Key = j.DedupeKey
		}
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		if err := s.Send(ctx, m); err != nil {
			if mail.IsPermanent(err) {
				return Permanent(err)
			}
			return err
		}
		return nil
	}
}

// redactMail is the Redactor of KindMailSend: a sent message keeps only
// its kind, subject, key and recipient hash; a dead-lettered one keeps its
// payload for `bankapp jobs requeue` unless it carries a single-use link
// (verification, reset), which is redacted too: the customer asks for a
// new link instead.
func redactMail(payload []byte, dead bool) ([]byte, bool) {
	if dead {
		var m mail.Message
		if json.Unmarshal(payload, &m) == nil && !mail.CarriesToken(m.Kind) {
			return nil, false
		}
	}
	return mail.Redact(payload), true
}

// PasswordResetHandler returns the handler of KindPasswordResetRequest:
// auth looks the address up and, for a customer, issues the token and puts
// the reset email in the outbox, all in the job's transaction.
func PasswordResetHandler(a *auth.Service) Handler {
	return func(ctx context.Context, tx *store.Tx, j store.Job) error {
		err := a.SendPasswordReset(ctx, tx, j.Payload)
		if errors.Is(err, auth.ErrBadResetRequest) {
			return Permanent(err)
		}
		return err
	}
}
