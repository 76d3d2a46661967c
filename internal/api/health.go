package api

import (
	"context"
	"net/http"
	"time"
)

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	return encode(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyMisses is how many consecutive failed database pings make /readyz
// answer 503. One missed ping (a pool reconnecting, the first seconds of a
// Multi-AZ failover) must not take every instance out of service at once;
// load balancers ask /readyz every few seconds, so a database that is
// really gone still shows within a few checks.
const readyMisses = 3

// readyz answers 200 when the database answers and has every migration, and
// 503 while the server drains before shutdown, or once readyMisses pings in
// a row have failed.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	if s.draining.Load() {
		return encode(w, http.StatusServiceUnavailable, map[string]string{"status": "draining"})
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.health.Ping(ctx); err != nil {
		misses := s.dbMisses.Add(1)
		s.log.WarnContext(ctx, "readyz: database", "err", err, "consecutive_misses", misses)
		if misses >= readyMisses || !s.migrated.Load() { // tolerated only once it has been ready
			return encode(w, http.StatusServiceUnavailable, map[string]string{"status": "database unavailable"})
		}
		return encode(w, http.StatusOK, map[string]string{"status": "ready"})
	}
	s.dbMisses.Store(0)
	if !s.migrated.Load() {
		ok, err := s.health.MigrationsCurrent(ctx)
		if err != nil || !ok {
			return encode(w, http.StatusServiceUnavailable, map[string]string{"status": "migrations pending"})
		}
		s.migrated.Store(true) // migrations only move forward
	}
	return encode(w, http.StatusOK, map[string]string{"status": "ready"})
}
