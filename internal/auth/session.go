package auth

import "time"

// Session is one sign-in: the refresh tokens rotate within it, access tokens
// carry its id, and revoking it ends them all.
type Session struct {
	ID         string
	UserID     string
	CreatedAt  time.Time
	LastUsedAt time.Time
	ExpiresAt  time.Time
	RevokedAt  time.Time
	UserAgent  string
	IP         string
}

// Active reports whether the session can still be used at now.
func (s Session) Active(now time.Time) bool {
	return s.RevokedAt.IsZero() && now.Before(s.ExpiresAt)
}
