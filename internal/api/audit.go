package api

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"

	"github.com/bankapp/bankapp/internal/audit"
)

// caller names who makes the request, for the audit events the domain
// services write.
func (s *Server) caller(r *http.Request) audit.Caller {
	p := principalOf(r)
	return audit.Caller{UserID: p.UserID, SessionID: p.SessionID, Role: p.Role, IP: s.clientIP(r),
		RequestID: requestID(r.Context()), UserAgent: truncate(cleanText(r.UserAgent()), 256)}
}

// emailFingerprint names an unknown email in the audit log without storing
// the address someone typed.
func emailFingerprint(email string) string {
	h := sha256.Sum256([]byte(email))
	return hex.EncodeToString(h[:8])
}
