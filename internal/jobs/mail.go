package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bankapp/bankapp/internal/mail"
	"github.com/bankapp/bankapp/internal/store"
)

// KindMailSend delivers one email; its payload is a mail.Message as JSON.
const KindMailSend = mail.JobKind

// MailMaxAttempts is how often a message is tried before it is
// dead-lettered: with the runner's backoff (5 s doubling) the last attempt
// comes about 10 minutes after the first, within a reset link's 30 minutes.
const MailMaxAttempts = 8

// DefaultMailTimeout bounds one delivery attempt.
const DefaultMailTimeout = 30 * time.Second

// MailJob is the outbox row of a message: enqueue it with tx.EnqueueJob in
// the transaction that decides to send it (the reset token, the password
// change), so that the message exists if and only if that transaction
// commits. key names the message for good — "reset:<token id>",
// "verify:<token id>", "notice:<event id>" — and must hold no address or
// token (it is logged); the job's dedupe key is "mail:"+key, so a message
// is enqueued once however often the enqueueing code runs, and the
// message's Key is the same, so every attempt carries the same Message-ID.
func MailJob(m mail.Message, key string, runAt time.Time) (store.Job, error) {
	switch {
	case key == "":
		return store.Job{}, errors.New("jobs: a mail job needs a key")
	case strings.Contains(key, "@"):
		return store.Job{}, errors.New("jobs: a mail job's key is logged: it must not hold an address")
	case strings.TrimSpace(m.To) == "" || m.Text == "":
		return store.Job{}, errors.New("jobs: a mail job needs a recipient and a text part")
	}
	m.Key = "mail:" + key
	payload, err := json.Marshal(m)
	if err != nil {
		return store.Job{}, fmt.Errorf("jobs: mail payload: %w", err)
	}
	return store.Job{Kind: KindMailSend, DedupeKey: m.Key, Payload: payload, RunAt: runAt, MaxAttempts: MailMaxAttempts}, nil
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
func MailHandler(s mail.Sender, timeout time.Duration) Handler {
	if timeout <= 0 {
		timeout = DefaultMailTimeout
	}
	return func(ctx context.Context, _ *store.Tx, j store.Job) error {
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
