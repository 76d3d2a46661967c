package auth

// RefreshOutcome says what presenting a refresh token did.
type RefreshOutcome int

// SessionPrincipal is a session with its user's current role.
type SessionPrincipal struct {
	Session Session
	Role    string
}

// Outcomes of RotateRefreshToken.
const (
	RefreshUnknown RefreshOutcome = iota // no such token, or its session is over
	RefreshReused                        // the token was already spent: the session is now revoked
	RefreshRotated                       // spent, and a new token issued
)
