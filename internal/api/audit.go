package api

import (
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
