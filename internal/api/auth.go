package api

import (
	"errors"
	"net/http"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/bankapp/bankapp/internal/auth"
	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/store"
)

// Lockout policy: this many consecutive failures lock the account this long.
const (
	maxLoginFailures = 10
	lockoutFor       = 15 * time.Minute
)

type registerRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	FullName string `json:"full_name"`
}

func (q *registerRequest) Validate() error {
	var fe []FieldError
	q.Email = strings.ToLower(strings.TrimSpace(q.Email))
	if !validEmail(q.Email) {
		fe = append(fe, FieldError{"email", "Enter a valid email address, like name@example.com."})
	}
	if msg := auth.CheckPassword(q.Password, q.Email); msg != "" {
		fe = append(fe, FieldError{"password", msg})
	}
	q.FullName = strings.TrimSpace(q.FullName)
	if n := utf8.RuneCountInString(q.FullName); n < 1 || n > 100 || strings.ContainsAny(q.FullName, "\x00\r\n\t") {
		fe = append(fe, FieldError{"full_name", "Enter your full name (up to 100 characters, on one line)."})
	}
	if len(fe) > 0 {
		return validation(fe...)
	}
	return nil
}

func validEmail(s string) bool {
	if len(s) > 254 || strings.ContainsAny(s, " <>\"(),;:") {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	_, domain, _ := strings.Cut(s, "@")
	return strings.Contains(domain, ".") && !strings.HasSuffix(domain, ".")
}

func (s *Server) register(w http.ResponseWriter, r *http.Request) error {
	req, _, err := decode[*registerRequest](w, r)
	if err != nil {
		return err
	}
	hash, err := s.hashPassword(r.Context(), req.Password)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	u := auth.User{ID: uuid.Must(uuid.NewV7()).String(), Email: req.Email, PasswordHash: hash, FullName: req.FullName,
		Role: auth.RoleCustomer, CreatedAt: now, UpdatedAt: now}
	err = s.db.InTx(r.Context(), func(tx *store.Tx) error {
		if err := tx.CreateUser(r.Context(), u); err != nil {
			return err
		}
		if _, err := bank.OpenAccount(r.Context(), tx, u.ID, ledger.TypeChecking, ledger.USD, "", now); err != nil {
			return err
		}
		return tx.InsertAudit(r.Context(), s.audit(r, u.ID, "register", "user:"+u.ID, "success"))
	})
	if err != nil {
		return err
	}
	return encode(w, http.StatusCreated, map[string]any{"user": viewUser(u)})
}

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	TOTPCode string `json:"totp_code"`
	Session  string `json:"session"`
}

func (q *loginRequest) Validate() error {
	q.Email = strings.ToLower(strings.TrimSpace(q.Email))
	var fe []FieldError
	if q.Email == "" || len(q.Email) > 254 {
		fe = append(fe, FieldError{"email", "Enter your email address."})
	}
	if q.Password == "" || len(q.Password) > 4*auth.MaxPasswordLen {
		fe = append(fe, FieldError{"password", "Enter your password."})
	}
	if q.Session != "" && q.Session != "cookie" && q.Session != "token" {
		fe = append(fe, FieldError{"session", `must be "cookie" or "token"`})
	}
	if len(fe) > 0 {
		return validation(fe...)
	}
	return nil
}

var errInvalidCredentials = errCode("invalid_credentials", "the email or password is incorrect")

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	req, _, err := decode[*loginRequest](w, r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	now := s.now().UTC()
	u, err := s.db.UserByEmail(ctx, req.Email)
	if err != nil && !errors.Is(err, ledger.ErrNotFound) {
		return err
	}
	if errors.Is(err, ledger.ErrNotFound) {
		// Same answer and about the same time as a wrong password.
		_, _ = s.verifyPassword(r.Context(), "", req.Password)
		s.metrics.loginFailures.Inc()
		s.logLoginFailure(r, "", "invalid_credentials")
		s.auditAlone(r, "", "login", "email:"+emailFingerprint(req.Email), "failure:invalid_credentials")
		return errInvalidCredentials
	}
	if u.LockedUntil.After(now) {
		_, _ = s.verifyPassword(r.Context(), "", req.Password)
		s.auditAlone(r, u.ID, "login", "user:"+u.ID, "failure:account_locked")
		s.logLoginFailure(r, u.ID, "account_locked")
		return &Error{Code: "account_locked", Msg: "too many failed sign-in attempts; the account is locked for a while", RetryAfter: u.LockedUntil.Sub(now)}
	}
	if !u.LockedUntil.IsZero() {
		// The lock has run out: count the next failures afresh, or a single
		// wrong password every 15 minutes would keep the account locked.
		if err := s.db.ResetLoginFailures(ctx, u.ID); err != nil {
			return err
		}
	}
	ok, err := s.verifyPassword(r.Context(), u.PasswordHash, req.Password)
	if err != nil {
		return err
	}
	if !ok {
		return s.loginFailed(r, u, now, errInvalidCredentials)
	}
	if u.TOTPEnabled {
		if req.TOTPCode == "" {
			s.auditAlone(r, u.ID, "login", "user:"+u.ID, "failure:totp_required")
			return errCode("totp_required", "enter the 6-digit code from your authenticator app")
		}
		var used bool
		err = s.db.InTx(ctx, func(tx *store.Tx) error {
			fresh, err := tx.UserByIDForUpdate(ctx, u.ID)
			if err != nil {
				return err
			}
			step, ok := auth.CheckTOTP(fresh.TOTPSecret, req.TOTPCode, now, fresh.TOTPLastStep)
			if !ok {
				return nil
			}
			used = true
			fresh.TOTPLastStep = step
			return tx.UpdateUser(ctx, fresh)
		})
		if err != nil {
			return err
		}
		if !used {
			return s.loginFailed(r, u, now, errCode("invalid_totp", "the authentication code is wrong or was already used"))
		}
	}
	if err := s.db.ResetLoginFailures(ctx, u.ID); err != nil {
		return err
	}
	return s.startSession(w, r, u, req.Session == "cookie", now)
}

// logLoginFailure writes the structured line the CloudWatch metric filter
// for failed sign-ins matches ("event":"auth.login_failed"). It names the
// user id when the email is known, never the email or password.
func (s *Server) logLoginFailure(r *http.Request, userID, reason string) {
	s.log.WarnContext(r.Context(), "sign-in failed", "event", "auth.login_failed", "reason", reason,
		"user_id", userID, "ip", s.clientIP(r), "request_id", requestID(r.Context()))
}

// loginFailed counts a failure, locking the account at the limit.
func (s *Server) loginFailed(r *http.Request, u auth.User, now time.Time, answer error) error {
	s.metrics.loginFailures.Inc()
	s.logLoginFailure(r, u.ID, answer.(*Error).Code)
	n, err := s.db.RecordLoginFailure(r.Context(), u.ID, maxLoginFailures, now.Add(lockoutFor))
	if err != nil {
		return err
	}
	if n >= maxLoginFailures {
		if n == maxLoginFailures {
			s.metrics.lockouts.Inc()
		}
		s.auditAlone(r, u.ID, "login", "user:"+u.ID, "failure:account_locked")
		return &Error{Code: "account_locked", Msg: "too many failed sign-in attempts; the account is locked for a while", RetryAfter: lockoutFor}
	}
	s.auditAlone(r, u.ID, "login", "user:"+u.ID, "failure:"+answer.(*Error).Code)
	return answer
}

type tokenResponse struct {
	AccessToken  string    `json:"access_token"`
	TokenType    string    `json:"token_type"`
	ExpiresIn    int       `json:"expires_in"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	User         *userView `json:"user,omitempty"`
}

func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u auth.User, cookie bool, now time.Time) error {
	sess := auth.Session{ID: uuid.Must(uuid.NewV7()).String(), UserID: u.ID, CreatedAt: now, LastUsedAt: now,
		ExpiresAt: now.Add(s.cfg.RefreshTokenTTL), UserAgent: truncate(r.UserAgent(), 256), IP: s.clientIP(r)}
	refresh := auth.RandomToken(32)
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		if err := tx.CreateSession(r.Context(), sess, auth.HashToken(refresh)); err != nil {
			return err
		}
		return tx.InsertAudit(r.Context(), s.audit(r, u.ID, "login", "session:"+sess.ID, "success"))
	})
	if err != nil {
		return err
	}
	uv := viewUser(u)
	return s.writeTokens(w, r, u.ID, sess, u.Role, refresh, cookie, &uv)
}

func (s *Server) writeTokens(w http.ResponseWriter, r *http.Request, userID string, sess auth.Session, role, refresh string, cookie bool, uv *userView) error {
	access, err := s.tokens.Issue(userID, sess.ID, role)
	if err != nil {
		return err
	}
	resp := tokenResponse{AccessToken: access, TokenType: "Bearer", ExpiresIn: int(s.tokens.TTL().Seconds()), User: uv}
	if cookie {
		s.setRefreshCookie(w, refresh, sess.ExpiresAt)
	} else {
		resp.RefreshToken = refresh
	}
	return encode(w, http.StatusOK, resp)
}

// RefreshCookie is the name of the browser session cookie (API.md
// "Browser sessions"). The __Host- prefix pins it to this host, path / and
// Secure; browsers accept it on http://localhost too.
const RefreshCookie = "__Host-bankapp_refresh"

func (s *Server) setRefreshCookie(w http.ResponseWriter, token string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{Name: RefreshCookie, Value: token, Path: "/", Expires: expires,
		MaxAge: int(time.Until(expires).Seconds()), HttpOnly: true, Secure: true, SameSite: http.SameSiteStrictMode})
}

func (s *Server) clearRefreshCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: RefreshCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: true, SameSite: http.SameSiteStrictMode})
}

type refreshRequest struct {
	RefreshToken string `json:"refresh_token"`
}

func (q *refreshRequest) Validate() error {
	if q.RefreshToken == "" || len(q.RefreshToken) > 512 {
		return validation(FieldError{"refresh_token", "is required"})
	}
	return nil
}

// refreshToken reads the refresh token from the body or, when the body is
// empty, from the browser cookie (which only same-origin requests may use).
func (s *Server) refreshToken(w http.ResponseWriter, r *http.Request) (tok string, fromCookie bool, err error) {
	b, err := readBody(w, r)
	if err != nil {
		return "", false, err
	}
	if len(strings.TrimSpace(string(b))) > 0 && strings.TrimSpace(string(b)) != "{}" {
		var req refreshRequest
		if err := decodeBytes(b, &req); err != nil {
			return "", false, err
		}
		if err := req.Validate(); err != nil {
			return "", false, err
		}
		return req.RefreshToken, false, nil
	}
	c, err := r.Cookie(RefreshCookie)
	if err != nil || c.Value == "" {
		return "", false, errUnauthorized
	}
	if err := s.cop.Check(r); err != nil {
		return "", false, errCode("cross_origin_refused", "cross-origin requests may not use the session cookie")
	}
	return c.Value, true, nil
}

func (s *Server) refresh(w http.ResponseWriter, r *http.Request) error {
	old, cookie, err := s.refreshToken(w, r)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	next := auth.RandomToken(32)
	var sess auth.Session
	var outcome store.RefreshOutcome
	var role string
	err = s.db.InTx(r.Context(), func(tx *store.Tx) error {
		sess, outcome, err = tx.RotateRefreshToken(r.Context(), auth.HashToken(old), auth.HashToken(next), now)
		if err != nil || outcome != store.RefreshRotated {
			return err
		}
		u, err := tx.UserByID(r.Context(), sess.UserID)
		role = u.Role
		return err
	})
	if err != nil {
		return err
	}
	switch outcome {
	case store.RefreshReused:
		s.sessions.forget(sess.ID)
		s.auditAlone(r, sess.UserID, "refresh_reuse", "session:"+sess.ID, "failure:session_revoked")
		if cookie {
			s.clearRefreshCookie(w)
		}
		return errCode("unauthorized", "this refresh token was already used; the session has been ended for safety")
	case store.RefreshUnknown:
		if cookie {
			s.clearRefreshCookie(w)
		}
		return errCode("unauthorized", "the refresh token is invalid or expired; sign in again")
	}
	return s.writeTokens(w, r, sess.UserID, sess, role, next, cookie, nil)
}

// logout ends the session named by the Bearer token or, for a browser, by
// the refresh cookie.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	now := s.now().UTC()
	p, err := s.authenticate(r)
	if err != nil {
		if r.Header.Get("Authorization") != "" {
			return err
		}
		tok, _, cerr := s.refreshToken(w, r)
		if cerr != nil {
			return cerr
		}
		sess, serr := s.db.SessionByRefreshHash(r.Context(), auth.HashToken(tok))
		if serr != nil {
			s.clearRefreshCookie(w)
			return errUnauthorized
		}
		p = principal{UserID: sess.UserID, SessionID: sess.ID}
	}
	err = s.db.InTx(r.Context(), func(tx *store.Tx) error {
		if err := tx.RevokeSession(r.Context(), p.UserID, p.SessionID, now); err != nil && !errors.Is(err, ledger.ErrNotFound) {
			return err
		}
		return tx.InsertAudit(r.Context(), s.audit(r, p.UserID, "logout", "session:"+p.SessionID, "success"))
	})
	if err != nil {
		return err
	}
	s.sessions.forget(p.SessionID)
	s.clearRefreshCookie(w)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
