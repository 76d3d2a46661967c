package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/ledger"
)

// SignIn is what a sign-in or a refresh gives the client: an access token
// and the session's new refresh token (only ever shown once).
type SignIn struct {
	User    User // zero for a refresh
	Session Session
	Access  string
	Refresh string
	// DeviceCookie is the device cookie a browser sign-in sets (a new one,
	// or the one it sent, renewed); "" for others.
	DeviceCookie string
}

// Register creates a customer with a USD checking account and puts the
// verification email in the outbox. The caller has checked the email
// syntax, the password rules (CheckPassword) and the name.
func (s *Service) Register(ctx context.Context, c audit.Caller, email, password, fullName string) (User, error) {
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return User{}, err
	}
	now := s.now()
	u := User{ID: uuid.Must(uuid.NewV7()).String(), Email: email, PasswordHash: hash, FullName: fullName,
		Role: RoleCustomer, BaseCurrency: ledger.USD, CreatedAt: now, UpdatedAt: now}
	err = s.store.InTx(ctx, func(tx Tx) error {
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		a := ledger.Account{ID: uuid.Must(uuid.NewV7()).String(), OwnerID: u.ID, Type: ledger.TypeChecking, Currency: ledger.USD,
			Name: "Checking", Status: ledger.StatusActive, CreatedAt: now}
		if _, err := ledger.CreateAccount(ctx, tx, a); err != nil {
			return err
		}
		if err := s.sendVerification(ctx, tx, u, now); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, c.Event("register", "user:"+u.ID, "success").As(u.ID))
	})
	return u, err
}

// Credentials are what a sign-in presents.
type Credentials struct {
	Email    string // lower-cased and trimmed
	Password string
	TOTPCode string
	// RecoveryCode stands in for TOTPCode: each code works once.
	RecoveryCode string
	Cookie       bool // a browser session: lives at most Settings.MaxAge
	// Device is the browser's device cookie, if it sent one.
	Device string
}

// Login signs a user in. Every attempt counts toward the lockout of its
// email before anything is checked, for known and unknown emails alike: a
// burst of parallel guesses gets no more than the limit, and the lockout
// does not tell which emails have accounts (docs/security.md).
func (s *Service) Login(ctx context.Context, c audit.Caller, cr Credentials) (SignIn, error) {
	n, err := s.beginAttempt(ctx, c, cr.Email, "", "login")
	if err != nil {
		return SignIn{}, err
	}
	u, err := s.store.UserByEmail(ctx, cr.Email)
	if err != nil && !errors.Is(err, ledger.ErrNotFound) {
		return SignIn{}, err
	}
	if errors.Is(err, ledger.ErrNotFound) {
		// Same answer and about the same time as a wrong password.
		_, _ = s.hasher.Verify(ctx, "", cr.Password)
		return SignIn{}, s.attemptFailed(ctx, c, "", cr.Email, "login", n, ErrInvalidCredentials)
	}
	ok, err := s.hasher.Verify(ctx, u.PasswordHash, cr.Password)
	if err != nil {
		return SignIn{}, err
	}
	if !ok {
		return SignIn{}, s.attemptFailed(ctx, c, u.ID, cr.Email, "login", n, ErrInvalidCredentials)
	}
	if u.TOTPEnabled && cr.TOTPCode == "" && cr.RecoveryCode == "" {
		if s.lockout.Locks(n) {
			return SignIn{}, s.attemptFailed(ctx, c, u.ID, cr.Email, "login", n, ErrTOTPRequired)
		}
		s.logAlone(ctx, c.Event("login", "user:"+u.ID, "failure:totp_required").As(u.ID))
		return SignIn{}, ErrTOTPRequired
	}
	locked, used, err := s.finishLogin(ctx, c, u, cr, n)
	switch {
	case err != nil:
		return SignIn{}, err
	case locked:
		s.logFailure(ctx, c, u.ID, "account_locked")
		s.logAlone(ctx, c.Event("login", "user:"+u.ID, "failure:account_locked").As(u.ID))
		return SignIn{}, lockedError(s.lockout.For)
	case !used:
		return SignIn{}, s.attemptFailed(ctx, c, u.ID, cr.Email, "login", n, ErrInvalidTOTP)
	}
	return s.startSession(ctx, c, u, cr)
}

// finishLogin re-checks the lock (guesses that started after attempt n may
// have locked the email while its password was checked), spends the TOTP
// code or the recovery code (each works once; a recovery code's notice
// goes into the outbox) and clears the failure count, in one transaction.
// used is false when the code is wrong or spent: the attempt then counts
// toward the lockout like a wrong password.
func (s *Service) finishLogin(ctx context.Context, c audit.Caller, u User, cr Credentials, n int) (locked, used bool, err error) {
	now := s.now()
	err = s.store.InTx(ctx, func(tx Tx) error {
		a, err := tx.LoginAttemptsForUpdate(ctx, cr.Email)
		if err != nil {
			return err
		}
		if locked = !s.lockout.MaySucceed(a, n, now); locked {
			return nil
		}
		if u.TOTPEnabled {
			fresh, err := tx.UserByIDForUpdate(ctx, u.ID)
			if err != nil {
				return err
			}
			if cr.TOTPCode == "" {
				ok, err := s.spendRecoveryCode(ctx, tx, c, fresh, cr.RecoveryCode)
				if err != nil || !ok {
					return err
				}
			} else {
				step, ok := CheckTOTP(fresh.TOTPSecret, cr.TOTPCode, now, fresh.TOTPLastStep)
				if !ok {
					return nil
				}
				fresh.TOTPLastStep = step
				if err := tx.UpdateUser(ctx, fresh); err != nil {
					return err
				}
			}
		}
		used = true
		return tx.ClearLoginAttempts(ctx, cr.Email)
	})
	return locked, used, err
}

// beginAttempt counts a password attempt for email before it is checked
// and returns its number; while a lock is in force it answers
// account_locked without checking anything.
func (s *Service) beginAttempt(ctx context.Context, c audit.Caller, email, userID, action string) (int, error) {
	now := s.now()
	var n int
	var until time.Time
	err := s.store.InTx(ctx, func(tx Tx) error {
		a, err := tx.LoginAttemptsForUpdate(ctx, email)
		if err != nil {
			return err
		}
		next, num, lockedUntil, ok := s.lockout.Begin(a, now)
		n, until = num, lockedUntil
		if !ok {
			return nil
		}
		return tx.PutLoginAttempts(ctx, email, next, now)
	})
	if err != nil {
		return 0, err
	}
	if n == 0 {
		if action == "login" {
			s.logFailure(ctx, c, userID, "account_locked")
		}
		s.logAlone(ctx, c.Event(action, target(userID, email), "failure:account_locked").As(userID))
		return 0, lockedError(until.Sub(now))
	}
	if n == s.lockout.Max {
		s.lockouts.Inc()
	}
	return n, nil
}

// attemptFailed records a failed attempt n (already counted) and answers:
// account_locked when it is the attempt that locked, else answer.
func (s *Service) attemptFailed(ctx context.Context, c audit.Caller, userID, email, action string, n int, answer *Error) error {
	if action == "login" {
		s.failures.Inc()
		s.logFailure(ctx, c, userID, answer.Code)
	}
	if s.lockout.Locks(n) {
		s.logAlone(ctx, c.Event(action, target(userID, email), "failure:account_locked").As(userID))
		return lockedError(s.lockout.For)
	}
	s.logAlone(ctx, c.Event(action, target(userID, email), "failure:"+answer.Code).As(userID))
	return answer
}

// target names the user of an attempt, or a fingerprint of an unknown
// email (the audit log never stores an address someone typed).
func target(userID, email string) string {
	if userID != "" {
		return "user:" + userID
	}
	return "email:" + fingerprint(email)
}

// fingerprint names an email address without revealing it: the first 16
// hex digits of its SHA-256.
func fingerprint(email string) string {
	h := sha256.Sum256([]byte(email))
	return hex.EncodeToString(h[:8])
}

// logFailure writes the structured line the CloudWatch metric filter for
// failed sign-ins matches ("event":"auth.login_failed"). It names the user
// id when the email is known, never the email or password.
func (s *Service) logFailure(ctx context.Context, c audit.Caller, userID, reason string) {
	s.log.WarnContext(ctx, "sign-in failed", "event", "auth.login_failed", "reason", reason,
		"user_id", userID, "ip", c.IP, "request_id", c.RequestID)
}

// startSession opens a session for u: a browser session lives at most
// Settings.MaxAge, a token client's at most Settings.RefreshTTL; both die
// after Settings.IdleTimeout without a refresh. A device not seen before
// gets the user a notice (seeDevice), in the same transaction.
func (s *Service) startSession(ctx context.Context, c audit.Caller, u User, cr Credentials) (SignIn, error) {
	now := s.now()
	life := s.set.RefreshTTL
	if cr.Cookie {
		life = s.set.MaxAge
	}
	sess := Session{ID: uuid.Must(uuid.NewV7()).String(), UserID: u.ID, CreatedAt: now, LastUsedAt: now,
		ExpiresAt: now.Add(life), UserAgent: c.UserAgent, IP: c.IP}
	refresh := RandomToken(32)
	var device string
	err := s.store.InTx(ctx, func(tx Tx) error {
		if err := tx.CreateSession(ctx, sess, HashToken(refresh)); err != nil {
			return err
		}
		var err error
		if device, err = s.seeDevice(ctx, tx, c, u, cr); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, c.Event("login", "session:"+sess.ID, "success").As(u.ID))
	})
	if err != nil {
		return SignIn{}, err
	}
	access, err := s.tokens.Issue(u.ID, sess.ID, u.Role)
	if err != nil {
		return SignIn{}, err
	}
	return SignIn{User: u, Session: sess, Access: access, Refresh: refresh, DeviceCookie: device}, nil
}

// Refresh spends a refresh token and issues a new one in the same session
// with a new access token. A token presented a second time ends the whole
// session (ErrRefreshReused); an unknown, expired or idle one is
// ErrUnauthorized.
func (s *Service) Refresh(ctx context.Context, c audit.Caller, token string) (SignIn, error) {
	now := s.now()
	next := RandomToken(32)
	var sess Session
	var outcome RefreshOutcome
	var role string
	err := s.store.InTx(ctx, func(tx Tx) error {
		var err error
		sess, outcome, err = tx.RotateRefreshToken(ctx, HashToken(token), HashToken(next), now, s.set.IdleTimeout)
		if err != nil || outcome != RefreshRotated {
			return err
		}
		u, err := tx.UserByID(ctx, sess.UserID)
		role = u.Role
		return err
	})
	if err != nil {
		return SignIn{}, err
	}
	switch outcome {
	case RefreshReused:
		s.logAlone(ctx, c.Event("refresh_reuse", "session:"+sess.ID, "failure:session_revoked").As(sess.UserID))
		return SignIn{Session: sess}, ErrRefreshReused
	case RefreshUnknown:
		return SignIn{}, ErrUnauthorized
	}
	access, err := s.tokens.Issue(sess.UserID, sess.ID, role)
	if err != nil {
		return SignIn{}, err
	}
	return SignIn{Session: sess, Access: access, Refresh: next}, nil
}

// SessionOfRefresh names the session a refresh token belongs to (a browser
// signing out with its cookie).
func (s *Service) SessionOfRefresh(ctx context.Context, token string) (Session, error) {
	return s.store.SessionByRefreshHash(ctx, HashToken(token))
}

// Logout ends the caller's session (c.UserID, c.SessionID) at once.
func (s *Service) Logout(ctx context.Context, c audit.Caller) error {
	return s.store.InTx(ctx, func(tx Tx) error {
		if err := tx.RevokeSession(ctx, c.UserID, c.SessionID, s.now()); err != nil && !errors.Is(err, ledger.ErrNotFound) {
			return err
		}
		return tx.InsertAudit(ctx, c.Event("logout", "session:"+c.SessionID, "success"))
	})
}

// SessionPrincipal reads a session and its user's role (the per-request
// check behind every access token).
func (s *Service) SessionPrincipal(ctx context.Context, id string) (SessionPrincipal, error) {
	return s.store.SessionPrincipal(ctx, id)
}
