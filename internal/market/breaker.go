package market

import (
	"sync"
	"time"
)

// BreakerState is a circuit breaker's state; the values are what the
// bankapp_market_breaker_state gauge reports.
type BreakerState int

// Breaker states.
const (
	BreakerClosed   BreakerState = 0
	BreakerHalfOpen BreakerState = 1
	BreakerOpen     BreakerState = 2
)

func (s BreakerState) String() string {
	switch s {
	case BreakerHalfOpen:
		return "half-open"
	case BreakerOpen:
		return "open"
	}
	return "closed"
}

// breaker opens after threshold consecutive failures, refuses calls for
// coolDown, then lets a single probe through (half-open): its success closes
// the breaker, its failure opens it again.
type breaker struct {
	now       func() time.Time
	threshold int
	coolDown  time.Duration
	onChange  func(BreakerState)

	mu       sync.Mutex
	state    BreakerState
	failures int
	openedAt time.Time
	probing  bool
}

// allow reports whether a call may go upstream; a true answer must be
// followed by exactly one of success, failure or release.
func (b *breaker) allow() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch b.state {
	case BreakerClosed:
		return true
	case BreakerOpen:
		if b.now().Sub(b.openedAt) < b.coolDown {
			return false
		}
		b.set(BreakerHalfOpen)
	}
	if b.probing {
		return false
	}
	b.probing = true
	return true
}

func (b *breaker) success() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.failures, b.probing = 0, false
	b.set(BreakerClosed)
}

func (b *breaker) failure() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.failures++
	if b.state == BreakerHalfOpen || b.failures >= b.threshold {
		b.openedAt, b.probing = b.now(), false
		b.set(BreakerOpen)
	}
}

// release ends a call that said nothing about upstream health (the caller
// went away).
func (b *breaker) release() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.state == BreakerHalfOpen {
		b.probing = false
	}
}

// State returns the current state.
func (b *breaker) State() BreakerState {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.state
}

func (b *breaker) set(s BreakerState) {
	if b.state != s {
		b.state = s
		if b.onChange != nil {
			b.onChange(s)
		}
	}
}
