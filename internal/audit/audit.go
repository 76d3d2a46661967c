// Package audit is BankApp's audit log: the events a bank's auditor reads
// (sign-ins, money movements, admin actions) and who caused them.
package audit

import (
	"context"
	"time"
)

// Event is one line of the audit log.
type Event struct {
	Seq       int64
	ID        string
	At        time.Time
	ActorID   string
	Action    string
	Target    string
	IP        string
	RequestID string
	Outcome   string // "success" or "failure" (or a reason code)
	Detail    string
}

// Filter selects a page of the audit log, newest first.
type Filter struct {
	ActorID string
	Action  string
	Before  int64 // cursor: events with seq below this
	Limit   int
}

// Caller is who asks for a use case: the signed-in user (empty for
// sign-in and registration) and where the request came from. Domain
// services write it into the audit events of the changes they make.
type Caller struct {
	UserID    string
	SessionID string
	Role      string
	IP        string
	RequestID string
	UserAgent string
}

// Event is an audit event by the caller about target.
func (c Caller) Event(action, target, outcome string) Event {
	return Event{ActorID: c.UserID, Action: action, Target: target, IP: c.IP, RequestID: c.RequestID, Outcome: outcome}
}

// As is the event with another actor (an unknown user's failed sign-in has
// none; a known user's sign-in names the user before they are signed in).
func (e Event) As(actor string) Event {
	e.ActorID = actor
	return e
}

// WithDetail is the event with a detail line.
func (e Event) WithDetail(d string) Event {
	e.Detail = d
	return e
}

type callerKey struct{}

// WithCaller puts the request's caller in ctx. The store reads it to route
// a user's reads to the primary right after they wrote (read-your-writes).
func WithCaller(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerFrom is the caller WithCaller put in ctx (zero if none).
func CallerFrom(ctx context.Context) Caller {
	c, _ := ctx.Value(callerKey{}).(Caller)
	return c
}
