package api

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter is a per-key token bucket: perMinute requests a minute with bursts
// of the same size. It is per instance; the WAF's rate rule is the global one.
type limiter struct {
	perMinute int
	now       func() time.Time
	mu        sync.Mutex
	m         map[string]*rate.Limiter
	swept     time.Time
}

func newLimiter(perMinute int, now func() time.Time) *limiter {
	return &limiter{perMinute: perMinute, now: now, m: map[string]*rate.Limiter{}}
}

// allow takes one token for key; when none is left it says how long to wait.
func (l *limiter) allow(key string) (time.Duration, bool) {
	if l.perMinute <= 0 {
		return 0, true
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > 5*time.Minute {
		// Forget buckets that are full again, so the map does not grow forever.
		for k, b := range l.m {
			if b.TokensAt(now) >= float64(l.perMinute) {
				delete(l.m, k)
			}
		}
		l.swept = now
	}
	b, ok := l.m[key]
	if !ok {
		b = rate.NewLimiter(rate.Limit(float64(l.perMinute)/60), l.perMinute)
		l.m[key] = b
	}
	if b.AllowN(now, 1) {
		return 0, true
	}
	r := b.ReserveN(now, 1)
	wait := r.DelayFrom(now)
	r.CancelAt(now)
	if wait < time.Second {
		wait = time.Second
	}
	return wait, false
}
