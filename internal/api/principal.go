package api

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/auth"
	"github.com/bankapp/bankapp/internal/ledger"
)

// principal is the signed-in user of a request.
type principal struct {
	UserID    string
	SessionID string
	Role      string
}

func principalOf(r *http.Request) principal {
	p, _ := r.Context().Value(keyPrincipal).(principal)
	return p
}

// sessionCache remembers for at most ttl whether a session is live, so that
// a revoked session fails within ttl on every instance without a database
// read on every request. Revocations on this instance take effect at once.
type sessionCache struct {
	src sessionSource
	ttl time.Duration
	now func() time.Time
	mu  sync.Mutex
	m   map[string]sessionEntry
	// tokens are access tokens that verified (see verify).
	tokens map[string]*auth.Claims
}

type sessionEntry struct {
	live    bool
	userID  string
	role    string
	fetched time.Time
}

// sessionSource reads a session and its user's role (auth.Service).
type sessionSource interface {
	SessionPrincipal(ctx context.Context, id string) (auth.SessionPrincipal, error)
}

func newSessionCache(src sessionSource, ttl time.Duration, now func() time.Time) *sessionCache {
	return &sessionCache{src: src, ttl: ttl, now: now, m: map[string]sessionEntry{}, tokens: map[string]*auth.Claims{}}
}

func (c *sessionCache) lookup(ctx context.Context, sid string) (sessionEntry, error) {
	now := c.now()
	c.mu.Lock()
	e, ok := c.m[sid]
	c.mu.Unlock()
	if ok && now.Sub(e.fetched) < c.ttl {
		return e, nil
	}
	sp, err := c.src.SessionPrincipal(ctx, sid)
	if err != nil {
		return sessionEntry{}, err
	}
	e = sessionEntry{live: sp.Session.Active(now), userID: sp.Session.UserID, role: sp.Role, fetched: now}
	c.mu.Lock()
	if len(c.m) > 100_000 {
		clear(c.m)
	}
	c.m[sid] = e
	c.mu.Unlock()
	return e, nil
}

func (c *sessionCache) forget(sid string) {
	c.mu.Lock()
	delete(c.m, sid)
	c.mu.Unlock()
}

func (c *sessionCache) forgetUser(userID string) {
	c.mu.Lock()
	for k, e := range c.m {
		if e.userID == userID {
			delete(c.m, k)
		}
	}
	c.mu.Unlock()
}

// verify checks an access token, remembering tokens that verified until
// they expire, so that a client's every request does not decode and check
// the same JWT again (a tenth of the CPU of GET /me). A token string
// verifies the same way every time except for its expiry, which is checked
// on every hit; the session behind it is still checked on every request.
func (c *sessionCache) verify(tokens *auth.Tokens, tok string) (*auth.Claims, error) {
	c.mu.Lock()
	cl, ok := c.tokens[tok]
	c.mu.Unlock()
	if ok && c.now().Before(cl.ExpiresAt.Time) {
		return cl, nil
	}
	cl, err := tokens.Parse(tok)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if len(c.tokens) >= 50_000 {
		clear(c.tokens)
	}
	c.tokens[tok] = cl
	c.mu.Unlock()
	return cl, nil
}

// authenticate checks the Bearer token and its session.
func (s *Server) authenticate(r *http.Request) (principal, error) {
	h := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || tok == "" {
		return principal{}, errUnauthorized
	}
	c, err := s.sessions.verify(s.tokens, strings.TrimSpace(tok))
	if err != nil {
		return principal{}, errCode("unauthorized", "the access token is invalid or expired")
	}
	e, err := s.sessions.lookup(r.Context(), c.SessionID)
	if err != nil && !errors.Is(err, ledger.ErrNotFound) {
		// The database did not answer: that is no reason to sign the
		// customer out. 503 with Retry-After tells the client to retry.
		s.log.WarnContext(r.Context(), "session check failed", "err", err)
		return principal{}, &Error{Code: "unavailable", Msg: "the service is briefly unavailable; retry shortly", RetryAfter: time.Second}
	}
	if err != nil || !e.live || e.userID != c.Subject {
		return principal{}, errCode("unauthorized", "the session has ended; sign in again")
	}
	return principal{UserID: c.Subject, SessionID: c.SessionID, Role: e.role}, nil
}

// authed requires a signed-in user and applies the per-user rate limit.
func (s *Server) authed(next handlerFunc) http.Handler {
	return s.h(func(w http.ResponseWriter, r *http.Request) error {
		p, err := s.authenticate(r)
		if err != nil {
			return err
		}
		if lu, ok := r.Context().Value(keyLogUser).(*logUser); ok {
			lu.id = p.UserID
		}
		if wait, ok := s.apiRate.allow("u:" + p.UserID); !ok {
			return &Error{Code: "rate_limited", Msg: "too many requests; slow down", RetryAfter: wait}
		}
		r = r.WithContext(context.WithValue(r.Context(), keyPrincipal, p))
		return next(w, r.WithContext(audit.WithCaller(r.Context(), s.caller(r))))
	})
}

// admin requires a signed-in admin; a customer gets 403.
func (s *Server) admin(next handlerFunc) http.Handler {
	return s.authed(func(w http.ResponseWriter, r *http.Request) error {
		if principalOf(r).Role != auth.RoleAdmin {
			return errCode("forbidden", "this endpoint is for administrators")
		}
		return next(w, r)
	})
}

// authLimited applies the per-IP limit of the sign-in endpoints.
func (s *Server) authLimited(next handlerFunc) http.Handler {
	return s.h(func(w http.ResponseWriter, r *http.Request) error {
		if wait, ok := s.authRate.allow("ip:" + s.clientIP(r)); !ok {
			return &Error{Code: "rate_limited", Msg: "too many sign-in attempts from your address; wait and retry", RetryAfter: wait}
		}
		return next(w, r)
	})
}
