package auth

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/mail"
)

// Store is what identity needs from the database (store.(*DB).Auth).
type Store interface {
	InTx(ctx context.Context, fn func(Tx) error) error
	UserByEmail(ctx context.Context, email string) (User, error)
	UserByID(ctx context.Context, id string) (User, error)
	SessionPrincipal(ctx context.Context, id string) (SessionPrincipal, error)
	SessionByRefreshHash(ctx context.Context, hash string) (Session, error)
	ActiveSessions(ctx context.Context, userID string, now time.Time, idle time.Duration) ([]Session, error)
	InsertAudit(ctx context.Context, e audit.Event) error
}

// Tx is what identity needs inside a transaction.
type Tx interface {
	CreateUser(ctx context.Context, u User) error
	UserByID(ctx context.Context, id string) (User, error)
	UserByIDForUpdate(ctx context.Context, id string) (User, error)
	UpdateUser(ctx context.Context, u User) error
	// CreateAccount opens the checking account every new customer gets.
	CreateAccount(ctx context.Context, a ledger.Account) error
	CreateSession(ctx context.Context, s Session, refreshHash string) error
	RotateRefreshToken(ctx context.Context, old, newHash string, now time.Time, idle time.Duration) (Session, RefreshOutcome, error)
	RevokeSession(ctx context.Context, userID, id string, now time.Time) error
	RevokeOtherSessions(ctx context.Context, userID, keep string, now time.Time) error
	LoginAttemptsForUpdate(ctx context.Context, email string) (Attempts, error)
	PutLoginAttempts(ctx context.Context, email string, a Attempts, now time.Time) error
	ClearLoginAttempts(ctx context.Context, email string) error
	InsertAudit(ctx context.Context, e audit.Event) error

	// Recovery and email (recovery.go, codes.go, device.go).
	UserByEmail(ctx context.Context, email string) (User, error)
	CreateAuthToken(ctx context.Context, t Token) error
	// AuthTokenForUpdate finds and locks a token by hash and purpose
	// (not_found when there is none, whatever its state).
	AuthTokenForUpdate(ctx context.Context, hash, purpose string) (Token, error)
	// UseAuthToken marks an unused token used (not_found when it was used).
	UseAuthToken(ctx context.Context, id string, now time.Time) error
	// SpendAuthTokens marks every unused token of the user and purpose used.
	SpendAuthTokens(ctx context.Context, userID, purpose string, now time.Time) error
	ReplaceRecoveryCodes(ctx context.Context, userID string, hashes []string, now time.Time) error
	DeleteRecoveryCodes(ctx context.Context, userID string) error
	// SpendRecoveryCode marks the user's unused code with hash used and
	// reports whether there was one.
	SpendRecoveryCode(ctx context.Context, userID, hash string, now time.Time) (bool, error)
	// SeeDevice records a sign-in from a device and says whether it was
	// known.
	SeeDevice(ctx context.Context, userID, hash, kind string, now time.Time) (DeviceSeen, error)
	// RateHitsForUpdate returns and locks the hits of a sliding-window
	// limit's bucket; PutRateHits stores them.
	RateHitsForUpdate(ctx context.Context, bucket string) ([]time.Time, error)
	PutRateHits(ctx context.Context, bucket string, hits []time.Time, now time.Time) error
	// EnqueueMail puts a message in the outbox (a mail_send job) in this
	// transaction: it is sent if and only if the transaction commits.
	EnqueueMail(ctx context.Context, m mail.Message, key string) error
	// Enqueue adds a job of kind with a JSON payload, due at runAt.
	Enqueue(ctx context.Context, kind, key string, payload []byte, runAt time.Time) error
}

// Settings are the session lifetimes (config: REFRESH_TOKEN_TTL,
// SESSION_MAX_AGE, SESSION_IDLE_TIMEOUT).
type Settings struct {
	RefreshTTL  time.Duration // a token client's session, at most
	MaxAge      time.Duration // a browser (cookie) session, at most
	IdleTimeout time.Duration // a session whose refresh token is unused this long is over
}

// Options configures a Service.
type Options struct {
	Store    Store
	Tokens   *Tokens
	Hasher   Hasher // nil = argon2id, at most 2 at once (Bounded)
	Lockout  Lockout
	Settings Settings
	Now      func() time.Time
	Logger   *slog.Logger
	// Registerer receives the sign-in metrics (nil = not registered).
	Registerer prometheus.Registerer
	// Mail renders the emails the use cases put in the outbox, with links
	// from BANKAPP_PUBLIC_ORIGIN (nil: links to http://localhost:3001, for
	// tests; internal/app always sets it).
	Mail *mail.Templates
	// DeviceKey signs the device cookie of browsers: DeriveKey of the
	// signing key, at least 32 bytes (nil: a random key, so device cookies
	// last as long as the process — tests; internal/app always sets it).
	DeviceKey []byte
}

// maxConcurrentHashes bounds argon2id work per instance (Bounded).
const maxConcurrentHashes = 2

// Service is identity's use cases: registration, sign-in with lockout and
// TOTP, refresh rotation, sessions, password and 2FA changes.
type Service struct {
	store    Store
	tokens   *Tokens
	hasher   Hasher
	lockout  Lockout
	set      Settings
	now      func() time.Time
	log      *slog.Logger
	failures prometheus.Counter
	lockouts prometheus.Counter
	mail     *mail.Templates
	devKey   []byte
}

// New builds the Service.
func New(o Options) (*Service, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Hasher == nil {
		o.Hasher = Bounded(Argon2id{}, maxConcurrentHashes)
	}
	if o.Lockout.Max == 0 {
		o.Lockout = DefaultLockout
	}
	if o.Mail == nil {
		t, err := mail.NewTemplates(mail.Site{Origin: "http://localhost:3001"})
		if err != nil {
			return nil, err
		}
		o.Mail = t
	}
	if o.DeviceKey == nil {
		o.DeviceKey = DeriveKey([]byte(RandomToken(32)), "device-cookie")
	}
	if len(o.DeviceKey) < 32 {
		return nil, errors.New("auth: the device cookie key must be at least 256 bits")
	}
	s := &Service{store: o.Store, tokens: o.Tokens, hasher: o.Hasher, lockout: o.Lockout, set: o.Settings,
		now: func() time.Time { return o.Now().UTC() }, log: o.Logger, mail: o.Mail, devKey: o.DeviceKey,
		failures: prometheus.NewCounter(prometheus.CounterOpts{Name: "bankapp_login_failures_total", Help: "Failed sign-in attempts."}),
		lockouts: prometheus.NewCounter(prometheus.CounterOpts{Name: "bankapp_account_lockouts_total", Help: "Accounts locked after repeated failures."}),
	}
	if o.Registerer != nil {
		for _, c := range []prometheus.Collector{s.failures, s.lockouts} {
			if err := o.Registerer.Register(c); err != nil {
				return nil, err
			}
		}
	}
	return s, nil
}

// Tokens is the access-token issuer and verifier.
func (s *Service) Tokens() *Tokens { return s.tokens }

// logAlone writes an audit event that has no other change to commit with
// (a failed sign-in); a failure to write it is logged.
func (s *Service) logAlone(ctx context.Context, e audit.Event) {
	if err := s.store.InsertAudit(ctx, e); err != nil {
		s.log.ErrorContext(ctx, "audit write failed", "action", e.Action, "err", err)
	}
}

// Error is an identity error with a contract code; its text is safe to
// show. RetryAfter is set for account_locked.
type Error struct {
	Code  string
	Msg   string
	Field string
	Retry time.Duration
}

func (e *Error) Error() string { return e.Msg }

// ErrorCode returns the contract code.
func (e *Error) ErrorCode() string { return e.Code }

// ErrorField names the request field the error is about.
func (e *Error) ErrorField() string { return e.Field }

// RetryAfter is how long the client should wait (account_locked).
func (e *Error) RetryAfter() time.Duration { return e.Retry }

// Errors of identity.
var (
	ErrInvalidCredentials = &Error{Code: "invalid_credentials", Msg: "the email or password is incorrect"}
	ErrTOTPRequired       = &Error{Code: "totp_required", Msg: "enter the 6-digit code from your authenticator app"}
	ErrInvalidTOTP        = &Error{Code: "invalid_totp", Msg: "the authentication code is wrong or was already used"}
	ErrUnauthorized       = &Error{Code: "unauthorized", Msg: "the refresh token is invalid or expired; sign in again"}
	ErrRefreshReused      = &Error{Code: "unauthorized", Msg: "this refresh token was already used; the session has been ended for safety"}
	ErrEmailTaken         = &Error{Code: "email_taken", Msg: "an account with this email already exists"}
	ErrTOTPAlreadyEnabled = &Error{Code: "totp_already_enabled", Msg: "two-factor authentication is already on; disable it first to set up a new device"}
	ErrSessionNotFound    = &Error{Code: "not_found", Msg: "session not found"}
	ErrInvalidToken       = &Error{Code: "invalid_token", Msg: "this link is invalid, has expired or was already used; ask for a new one", Field: "token"}
	ErrAlreadyVerified    = &Error{Code: "already_verified", Msg: "your email address is already verified"}
	ErrTOTPNotEnabled     = &Error{Code: "totp_not_enabled", Msg: "recovery codes are for two-factor authentication; turn it on first"}
)

func lockedError(retry time.Duration) *Error {
	return &Error{Code: "account_locked", Msg: "too many failed sign-in attempts; the account is locked for a while", Retry: retry}
}
