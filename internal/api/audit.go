package api

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"

	"github.com/bankapp/bankapp/internal/store"
)

// audit builds an audit event for the request.
func (s *Server) audit(r *http.Request, actor, action, target, outcome string) store.AuditEvent {
	return store.AuditEvent{ActorID: actor, Action: action, Target: target, IP: s.clientIP(r),
		RequestID: requestID(r.Context()), Outcome: outcome}
}

// auditAlone writes an event that has no other change to commit with (a
// failed login, an admin read). A failure to write it is logged.
func (s *Server) auditAlone(r *http.Request, actor, action, target, outcome string) {
	if err := s.db.InsertAudit(r.Context(), s.audit(r, actor, action, target, outcome)); err != nil {
		s.log.ErrorContext(r.Context(), "audit write failed", "action", action, "err", err)
	}
}

// emailFingerprint names an unknown email in the audit log without storing
// the address someone typed.
func emailFingerprint(email string) string {
	h := sha256.Sum256([]byte(email))
	return hex.EncodeToString(h[:8])
}
