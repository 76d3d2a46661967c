package api

import (
	"context"
	"net/http"
	"time"
)

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	return encode(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 200 when the database answers and has every migration, and
// 503 while the server drains before shutdown.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	if s.draining.Load() {
		return encode(w, http.StatusServiceUnavailable, map[string]string{"status": "draining"})
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.health.Ping(ctx); err != nil {
		s.log.WarnContext(ctx, "readyz: database", "err", err)
		return encode(w, http.StatusServiceUnavailable, map[string]string{"status": "database unavailable"})
	}
	if !s.migrated.Load() {
		ok, err := s.health.MigrationsCurrent(ctx)
		if err != nil || !ok {
			return encode(w, http.StatusServiceUnavailable, map[string]string{"status": "migrations pending"})
		}
		s.migrated.Store(true) // migrations only move forward
	}
	return encode(w, http.StatusOK, map[string]string{"status": "ready"})
}
