package auth

import (
	"context"

	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/mail"
)

// Me is the caller's user.
func (s *Service) Me(ctx context.Context, userID string) (User, error) {
	return s.store.UserByID(ctx, userID)
}

// Profile is a change to the caller's profile; nil fields stay as they are.
type Profile struct {
	FullName     *string // already checked (1–100 characters on one line)
	BaseCurrency *string // USD, EUR or GBP
}

// UpdateProfile changes the caller's name and/or base currency (the
// currency of the overview and net worth) in one step.
func (s *Service) UpdateProfile(ctx context.Context, c audit.Caller, p Profile) (User, error) {
	var base ledger.Currency
	if p.BaseCurrency != nil {
		var err error
		if base, err = ledger.ParseCurrency(*p.BaseCurrency); err != nil {
			return User{}, &Error{Code: "validation_failed", Msg: "must be USD, EUR or GBP", Field: "base_currency"}
		}
	}
	return s.updateUser(ctx, c, "profile_update", "", func(u *User) error {
		if p.FullName != nil {
			u.FullName = *p.FullName
		}
		if base != "" {
			u.BaseCurrency = base
		}
		return nil
	})
}

// updateUser changes the caller's user row under its lock, audits it and,
// when notice names a notice kind, puts that security notice in the
// outbox, all in one transaction.
func (s *Service) updateUser(ctx context.Context, c audit.Caller, action, notice string, change func(u *User) error) (User, error) {
	var u User
	err := s.store.InTx(ctx, func(tx Tx) error {
		var err error
		if u, err = tx.UserByIDForUpdate(ctx, c.UserID); err != nil {
			return err
		}
		if err := change(&u); err != nil {
			return err
		}
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		if notice != "" {
			if err := s.notify(ctx, tx, c, u, notice, ""); err != nil {
				return err
			}
		}
		return tx.InsertAudit(ctx, c.Event(action, "user:"+u.ID, "success"))
	})
	return u, err
}

// Reauthenticate checks the signed-in caller's password before a sensitive
// change. Wrong passwords count toward the sign-in lockout (a stolen access
// token must not allow unlimited guesses); a wrong one is audited under
// action and answered invalid_credentials with wrong as its message (the
// session stays).
func (s *Service) Reauthenticate(ctx context.Context, c audit.Caller, password, action, wrong string) (User, error) {
	u, err := s.store.UserByID(ctx, c.UserID)
	if err != nil {
		return u, err
	}
	n, err := s.beginAttempt(ctx, c, u.Email, u.ID, action)
	if err != nil {
		return u, err
	}
	ok, err := s.hasher.Verify(ctx, u.PasswordHash, password)
	if err != nil {
		return u, err
	}
	if !ok {
		return u, s.attemptFailed(ctx, c, u.ID, u.Email, action, n, &Error{Code: "invalid_credentials", Msg: wrong})
	}
	now := s.now()
	var locked bool
	err = s.store.InTx(ctx, func(tx Tx) error {
		a, err := tx.LoginAttemptsForUpdate(ctx, u.Email)
		if err != nil {
			return err
		}
		if locked = !s.lockout.MaySucceed(a, n, now); locked {
			return nil
		}
		return tx.ClearLoginAttempts(ctx, u.Email)
	})
	if err != nil {
		return u, err
	}
	if locked {
		s.logAlone(ctx, c.Event(action, "user:"+u.ID, "failure:account_locked"))
		return u, lockedError(s.lockout.For)
	}
	return u, nil
}

// ChangePassword sets a new password (checked against the rules) after the
// current one, ends every other session of the caller and puts a notice in
// the outbox.
func (s *Service) ChangePassword(ctx context.Context, c audit.Caller, current, next string) error {
	u, err := s.Reauthenticate(ctx, c, current, "password_change", "the current password is incorrect")
	if err != nil {
		return err
	}
	if msg := CheckPassword(next, u.Email); msg != "" {
		return &Error{Code: "validation_failed", Msg: msg, Field: "new_password"}
	}
	if next == current {
		return &Error{Code: "validation_failed", Msg: "Choose a new password that is different from your current one.", Field: "new_password"}
	}
	hash, err := s.hasher.Hash(ctx, next)
	if err != nil {
		return err
	}
	return s.store.InTx(ctx, func(tx Tx) error {
		u, err := tx.UserByIDForUpdate(ctx, c.UserID)
		if err != nil {
			return err
		}
		u.PasswordHash = hash
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		if err := tx.RevokeOtherSessions(ctx, u.ID, c.SessionID, s.now()); err != nil {
			return err
		}
		if err := s.notify(ctx, tx, c, u, mail.KindPasswordChanged, ""); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, c.Event("password_change", "user:"+u.ID, "success"))
	})
}

// SetupTOTP draws a TOTP secret for the caller, pending until EnableTOTP.
func (s *Service) SetupTOTP(ctx context.Context, c audit.Caller) (secret, url string, err error) {
	_, err = s.updateUser(ctx, c, "2fa_setup", "", func(u *User) error {
		if u.TOTPEnabled {
			return ErrTOTPAlreadyEnabled
		}
		secret, url, err = NewTOTPSecret("BankApp", u.Email)
		u.TOTPPending = secret
		return err
	})
	return secret, url, err
}

// ErrNoPendingTOTP and ErrWrongTOTP refuse EnableTOTP (422 invalid_totp).
var (
	ErrNoPendingTOTP = &Error{Code: "invalid_totp", Msg: "start with POST /api/v1/me/2fa/setup"}
	ErrWrongTOTP     = &Error{Code: "invalid_totp", Msg: "the code is wrong or expired; check your device's clock"}
)

// EnableTOTP turns on 2FA with a code from the pending secret and puts a
// notice in the outbox.
func (s *Service) EnableTOTP(ctx context.Context, c audit.Caller, code string) error {
	now := s.now()
	_, err := s.updateUser(ctx, c, "2fa_enable", mail.KindTOTPEnabled, func(u *User) error {
		if u.TOTPEnabled {
			return &Error{Code: "totp_already_enabled", Msg: "two-factor authentication is already on"}
		}
		if u.TOTPPending == "" {
			return ErrNoPendingTOTP
		}
		step, ok := CheckTOTP(u.TOTPPending, code, now, u.TOTPLastStep)
		if !ok {
			return ErrWrongTOTP
		}
		u.TOTPSecret, u.TOTPPending, u.TOTPEnabled, u.TOTPLastStep = u.TOTPPending, "", true, step
		return nil
	})
	return err
}

// DisableTOTP turns 2FA off after the password, deletes the recovery codes
// (turning it on again starts without any) and, when 2FA was on, puts a
// notice in the outbox.
func (s *Service) DisableTOTP(ctx context.Context, c audit.Caller, password string) error {
	u, err := s.Reauthenticate(ctx, c, password, "2fa_disable", "the password is incorrect")
	if err != nil {
		return err
	}
	return s.store.InTx(ctx, func(tx Tx) error {
		if u, err = tx.UserByIDForUpdate(ctx, c.UserID); err != nil {
			return err
		}
		wasOn := u.TOTPEnabled
		u.TOTPSecret, u.TOTPPending, u.TOTPEnabled = "", "", false
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		if err := tx.DeleteRecoveryCodes(ctx, u.ID); err != nil {
			return err
		}
		if wasOn {
			if err := s.notify(ctx, tx, c, u, mail.KindTOTPDisabled, ""); err != nil {
				return err
			}
		}
		return tx.InsertAudit(ctx, c.Event("2fa_disable", "user:"+u.ID, "success"))
	})
}

// Sessions lists the user's live sessions, newest first.
func (s *Service) Sessions(ctx context.Context, userID string) ([]Session, error) {
	return s.store.ActiveSessions(ctx, userID, s.now(), s.set.IdleTimeout)
}

// RevokeSession ends one of the caller's sessions; another's is not_found.
func (s *Service) RevokeSession(ctx context.Context, c audit.Caller, id string) error {
	return s.store.InTx(ctx, func(tx Tx) error {
		if err := tx.RevokeSession(ctx, c.UserID, id, s.now()); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, c.Event("session_revoke", "session:"+id, "success"))
	})
}
