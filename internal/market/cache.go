package market

import (
	"sync"
	"time"
)

// maxCacheEntries bounds each cache; search keys come from users.
const maxCacheEntries = 10_000

type entry[V any] struct {
	v  V
	at time.Time // when it was fetched from upstream
}

// store is a map of last good values with their fetch time. Freshness and
// staleness are the caller's decisions; keep is how long an entry is worth
// keeping at all.
type store[V any] struct {
	keep time.Duration
	mu   sync.Mutex
	m    map[string]entry[V]
}

func newStore[V any](keep time.Duration) *store[V] {
	return &store[V]{keep: keep, m: make(map[string]entry[V])}
}

func (s *store[V]) get(key string) (entry[V], bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.m[key]
	return e, ok
}

func (s *store[V]) put(key string, v V, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[key]; !ok && len(s.m) >= maxCacheEntries {
		s.evict(at)
	}
	s.m[key] = entry[V]{v: v, at: at}
}

// evict drops entries too old to serve even stale, and if that frees
// nothing, an arbitrary tenth of the map.
func (s *store[V]) evict(now time.Time) {
	for k, e := range s.m {
		if now.Sub(e.at) > s.keep {
			delete(s.m, k)
		}
	}
	drop := len(s.m) - maxCacheEntries*9/10
	for k := range s.m {
		if drop <= 0 {
			break
		}
		delete(s.m, k)
		drop--
	}
}
