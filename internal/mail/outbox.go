package mail

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// MaxAttempts is how often a message is tried before it is dead-lettered:
// with the job runner's backoff (5 s doubling) the last attempt comes about
// 10 minutes after the first, within a reset link's 30 minutes.
const MaxAttempts = 8

// Outbox is the job-queue row of one message (kind JobKind): the store
// inserts it in the transaction of the change that sends the message.
type Outbox struct {
	DedupeKey   string // "mail:" + the message's key, unique forever
	Payload     []byte // the Message as JSON
	MaxAttempts int
}

// NewOutbox builds the outbox row of m. key names the message for good —
// "reset:<token id>", "verify:<token id>", "notice:<kind>:<event id>" — and
// must hold no address or token (it is logged); the row's dedupe key is
// "mail:"+key, so a message is enqueued once however often the enqueueing
// code runs, and m.Key becomes the same, so every attempt carries the same
// Message-ID.
func NewOutbox(m Message, key string) (Outbox, error) {
	switch {
	case key == "":
		return Outbox{}, errors.New("mail: an outbox message needs a key")
	case strings.Contains(key, "@"):
		return Outbox{}, errors.New("mail: an outbox key is logged: it must not hold an address")
	case strings.TrimSpace(m.To) == "" || m.Text == "":
		return Outbox{}, errors.New("mail: an outbox message needs a recipient and a text part")
	}
	m.Key = "mail:" + key
	payload, err := json.Marshal(m)
	if err != nil {
		return Outbox{}, fmt.Errorf("mail: outbox payload: %w", err)
	}
	return Outbox{DedupeKey: m.Key, Payload: payload, MaxAttempts: MaxAttempts}, nil
}

// CarriesToken reports whether messages of kind hold a live single-use link
// (verification, password reset).
func CarriesToken(kind string) bool { return kind == KindVerifyEmail || kind == KindPasswordReset }

// Redacted is what the outbox row of a message keeps once the message is
// out of the queue (docs/email.md "What the outbox keeps"): enough to say
// what was sent to whom — the kind, the subject, a hash of the recipient —
// and neither the address nor the body, whose links may still be live.
type Redacted struct {
	Redacted bool   `json:"redacted"`
	Kind     string `json:"kind"`
	Subject  string `json:"subject"`
	ToHash   string `json:"to_hash"`
	Key      string `json:"key,omitempty"`
}

// Redact turns a message payload into its Redacted form. A payload that is
// not a message becomes {"redacted": true}.
func Redact(payload []byte) []byte {
	var m Message
	r := Redacted{Redacted: true}
	if json.Unmarshal(payload, &m) == nil {
		r.Kind, r.Subject, r.Key = m.Kind, m.Subject, m.Key
		if m.To != "" {
			r.ToHash = RecipientHash(m.To)
		}
	}
	b, _ := json.Marshal(r) // a struct of strings always marshals
	return b
}

// IsRedacted reports whether a payload was redacted.
func IsRedacted(payload []byte) bool {
	var r struct {
		Redacted bool `json:"redacted"`
	}
	return json.Unmarshal(payload, &r) == nil && r.Redacted
}
