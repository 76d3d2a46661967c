package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/mail"
)

// Purposes of the tokens sent by email.
const (
	PurposeReset  = "password_reset"
	PurposeVerify = "verify_email"
)

// Lifetimes of the tokens sent by email (API.md: reset links 30 minutes).
const (
	ResetTokenTTL  = 30 * time.Minute
	VerifyTokenTTL = 24 * time.Hour
)

// Limits shared by every instance (table rate_limits; docs/security.md).
var (
	// ResetEmailLimit bounds the reset requests answered for one address,
	// whether or not it has an account; requests past it are answered 202
	// like the others and send nothing.
	ResetEmailLimit = Window{Max: 5, Per: time.Hour}
	// VerifyEmailLimit bounds the verification emails a user may ask for
	// (API.md: at most 5 an hour).
	VerifyEmailLimit = Window{Max: 5, Per: time.Hour}
)

// tokenBytes is the entropy of an emailed token: 256 bits (the contract
// asks for at least 128), base64url without padding — 43 URL-safe
// characters.
const tokenBytes = 32

// KindPasswordResetRequest is the job that answers a reset request
// (internal/jobs registers the handler, PasswordResetHandler).
const KindPasswordResetRequest = "password_reset_request"

// Token is a single-use token sent by email, as stored: its SHA-256 only.
type Token struct {
	ID        string
	UserID    string
	Purpose   string
	Hash      string
	Email     string // the address the link was sent to
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    time.Time // zero while unused
}

// usable reports whether the token may still be used at now.
func (t Token) usable(now time.Time) bool { return t.UsedAt.IsZero() && now.Before(t.ExpiresAt) }

// newToken draws a token for u and returns it with its stored form.
func newToken(u User, purpose string, now time.Time, ttl time.Duration) (string, Token) {
	tok := RandomToken(tokenBytes)
	return tok, Token{ID: uuid.Must(uuid.NewV7()).String(), UserID: u.ID, Purpose: purpose, Hash: HashToken(tok),
		Email: u.Email, CreatedAt: now, ExpiresAt: now.Add(ttl)}
}

// resetRequest is the payload of a KindPasswordResetRequest job. The job
// runner redacts it when the job is done.
type resetRequest struct {
	Email     string `json:"email"`
	IP        string `json:"ip,omitempty"`
	RequestID string `json:"request_id,omitempty"`
}

// ErrBadResetRequest is a reset-request job whose payload cannot be read
// (dead-lettered at once).
var ErrBadResetRequest = errors.New("auth: the password-reset job's payload is not a request")

// RequestPasswordReset answers "forgot password" for email (lower-cased,
// syntax checked). It does the same work whether or not an account uses
// the address — count the request against the address's limit, queue a
// reset-request job, write an audit event naming the address's fingerprint
// — so the answer, and its timing, cannot tell the two apart. The job
// (SendPasswordReset) looks the address up and sends the link. Past
// ResetEmailLimit nothing is queued; the caller answers the same.
func (s *Service) RequestPasswordReset(ctx context.Context, c audit.Caller, email string) error {
	now := s.now()
	payload, err := json.Marshal(resetRequest{Email: email, IP: c.IP, RequestID: c.RequestID})
	if err != nil {
		return err
	}
	bucket := "reset:" + fingerprint(email)
	return s.store.InTx(ctx, func(tx Tx) error {
		hits, err := tx.RateHitsForUpdate(ctx, bucket)
		if err != nil {
			return err
		}
		kept, ok, _ := ResetEmailLimit.Admit(hits, now)
		if err := tx.PutRateHits(ctx, bucket, kept, now); err != nil {
			return err
		}
		outcome := "failure:rate_limited"
		if ok {
			outcome = "success"
			if err := tx.Enqueue(ctx, KindPasswordResetRequest, "reset-request:"+uuid.Must(uuid.NewV7()).String(), payload, now); err != nil {
				return err
			}
		}
		return tx.InsertAudit(ctx, c.Event("password_reset_request", target("", email), outcome))
	})
}

// SendPasswordReset runs a reset-request job in its transaction tx: for an
// address with an account it spends the user's earlier reset tokens (a
// newer request spends older ones), issues a new one (ResetTokenTTL) and
// puts the reset email in the outbox; for another address it does nothing.
func (s *Service) SendPasswordReset(ctx context.Context, tx Tx, payload []byte) error {
	var q resetRequest
	if err := json.Unmarshal(payload, &q); err != nil || q.Email == "" {
		return ErrBadResetRequest
	}
	u, err := tx.UserByEmail(ctx, q.Email)
	if errors.Is(err, ledger.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	now := s.now()
	if err := tx.SpendAuthTokens(ctx, u.ID, PurposeReset, now); err != nil {
		return err
	}
	tok, t := newToken(u, PurposeReset, now, ResetTokenTTL)
	if err := tx.CreateAuthToken(ctx, t); err != nil {
		return err
	}
	m, err := s.mail.PasswordReset(u.Email, u.FullName, tok, ResetTokenTTL)
	if err != nil {
		return err
	}
	if err := tx.EnqueueMail(ctx, m, "reset:"+t.ID); err != nil {
		return err
	}
	c := audit.Caller{IP: q.IP, RequestID: q.RequestID}
	return tx.InsertAudit(ctx, c.Event("password_reset_email", "user:"+u.ID, "success").As(u.ID))
}

// ConfirmPasswordReset sets a new password with a reset token: the token is
// spent, the password changed (CheckPassword's rules), every session of the
// user revoked, the sign-in lockout of the email cleared, the address
// marked verified (the link proved it) and a notice put in the outbox, in
// one transaction. It returns the user's id (the caller forgets cached
// sessions). An unknown, used or expired token is ErrInvalidToken.
func (s *Service) ConfirmPasswordReset(ctx context.Context, c audit.Caller, token, password string) (string, error) {
	if token == "" || len(token) > 256 {
		return "", ErrInvalidToken
	}
	hash := HashToken(token)
	now := s.now()
	var t Token
	var u User
	err := s.store.InTx(ctx, func(tx Tx) error {
		var err error
		if t, err = s.usableToken(ctx, tx, hash, PurposeReset, now); err != nil {
			return err
		}
		u, err = tx.UserByID(ctx, t.UserID)
		return err
	})
	if err != nil {
		return "", err
	}
	if msg := CheckPassword(password, u.Email); msg != "" {
		return "", &Error{Code: "validation_failed", Msg: msg, Field: "new_password"}
	}
	pwHash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return "", err
	}
	err = s.store.InTx(ctx, func(tx Tx) error {
		// Again under the lock: the token may have been used meanwhile.
		t, err := s.usableToken(ctx, tx, hash, PurposeReset, now)
		if err != nil {
			return err
		}
		if err := tx.UseAuthToken(ctx, t.ID, now); err != nil {
			return err
		}
		if err := tx.SpendAuthTokens(ctx, t.UserID, PurposeReset, now); err != nil {
			return err
		}
		if u, err = tx.UserByIDForUpdate(ctx, t.UserID); err != nil {
			return err
		}
		u.PasswordHash, u.EmailVerified = pwHash, true
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		// Session ids are never empty: this revokes them all.
		if err := tx.RevokeOtherSessions(ctx, u.ID, "", now); err != nil {
			return err
		}
		if err := tx.ClearLoginAttempts(ctx, u.Email); err != nil {
			return err
		}
		if err := s.notify(ctx, tx, c, u, mail.KindPasswordWasReset, ""); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, c.Event("password_reset", "user:"+u.ID, "success").As(u.ID))
	})
	if err != nil {
		return "", err
	}
	return u.ID, nil
}

// usableToken finds and locks the token with hash for purpose and checks
// that it may be used now and that its user still has the address it was
// sent to; anything else is ErrInvalidToken.
func (s *Service) usableToken(ctx context.Context, tx Tx, hash, purpose string, now time.Time) (Token, error) {
	t, err := tx.AuthTokenForUpdate(ctx, hash, purpose)
	if errors.Is(err, ledger.ErrNotFound) {
		return t, ErrInvalidToken
	}
	if err != nil {
		return t, err
	}
	if !t.usable(now) {
		return t, ErrInvalidToken
	}
	u, err := tx.UserByID(ctx, t.UserID)
	if err != nil {
		return t, err
	}
	if u.Email != t.Email {
		return t, ErrInvalidToken
	}
	return t, nil
}

// VerifyEmail spends a verification token and marks its user's address
// verified. An unknown, used or expired token is ErrInvalidToken.
func (s *Service) VerifyEmail(ctx context.Context, c audit.Caller, token string) error {
	if token == "" || len(token) > 256 {
		return ErrInvalidToken
	}
	now := s.now()
	return s.store.InTx(ctx, func(tx Tx) error {
		t, err := s.usableToken(ctx, tx, HashToken(token), PurposeVerify, now)
		if err != nil {
			return err
		}
		if err := tx.UseAuthToken(ctx, t.ID, now); err != nil {
			return err
		}
		u, err := tx.UserByIDForUpdate(ctx, t.UserID)
		if err != nil {
			return err
		}
		if !u.EmailVerified {
			u.EmailVerified = true
			if err := tx.UpdateUser(ctx, u); err != nil {
				return err
			}
		}
		return tx.InsertAudit(ctx, c.Event("email_verify", "user:"+u.ID, "success").As(u.ID))
	})
}

// ResendVerification sends the caller a new verification email: at most
// VerifyEmailLimit (else rate_limited with the time until the next one is
// allowed); ErrAlreadyVerified when the address is verified.
func (s *Service) ResendVerification(ctx context.Context, c audit.Caller) error {
	now := s.now()
	return s.store.InTx(ctx, func(tx Tx) error {
		u, err := tx.UserByIDForUpdate(ctx, c.UserID)
		if err != nil {
			return err
		}
		if u.EmailVerified {
			return ErrAlreadyVerified
		}
		bucket := "verify:" + u.ID
		hits, err := tx.RateHitsForUpdate(ctx, bucket)
		if err != nil {
			return err
		}
		kept, ok, retry := VerifyEmailLimit.Admit(hits, now)
		if !ok {
			return &Error{Code: "rate_limited", Msg: fmt.Sprintf("at most %d verification emails an hour; try again later", VerifyEmailLimit.Max), Retry: retry}
		}
		if err := tx.PutRateHits(ctx, bucket, kept, now); err != nil {
			return err
		}
		if err := s.sendVerification(ctx, tx, u, now); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, c.Event("email_verification_resend", "user:"+u.ID, "success"))
	})
}

// sendVerification issues a verification token for u and puts the email in
// the outbox, in tx. Earlier verification links keep working until they
// expire: any of them proves the same thing.
func (s *Service) sendVerification(ctx context.Context, tx Tx, u User, now time.Time) error {
	tok, t := newToken(u, PurposeVerify, now, VerifyTokenTTL)
	if err := tx.CreateAuthToken(ctx, t); err != nil {
		return err
	}
	m, err := s.mail.VerifyEmail(u.Email, u.FullName, tok, VerifyTokenTTL)
	if err != nil {
		return err
	}
	return tx.EnqueueMail(ctx, m, "verify:"+t.ID)
}
