package auth

import (
	"context"

	"github.com/bankapp/bankapp/internal/audit"
)

// Me is the caller's user.
func (s *Service) Me(ctx context.Context, userID string) (User, error) {
	return s.store.UserByID(ctx, userID)
}

// SetName changes the caller's full name (already checked).
func (s *Service) SetName(ctx context.Context, c audit.Caller, name string) (User, error) {
	return s.updateUser(ctx, c, "profile_update", func(u *User) error {
		u.FullName = name
		return nil
	})
}

// updateUser changes the caller's user row under its lock and audits it.
func (s *Service) updateUser(ctx context.Context, c audit.Caller, action string, change func(u *User) error) (User, error) {
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

// ChangePassword sets a new password (already checked against the rules)
// after the current one, and ends every other session of the caller.
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
		return tx.InsertAudit(ctx, c.Event("password_change", "user:"+u.ID, "success"))
	})
}

// SetupTOTP draws a TOTP secret for the caller, pending until EnableTOTP.
func (s *Service) SetupTOTP(ctx context.Context, c audit.Caller) (secret, url string, err error) {
	_, err = s.updateUser(ctx, c, "2fa_setup", func(u *User) error {
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

// EnableTOTP turns on 2FA with a code from the pending secret.
func (s *Service) EnableTOTP(ctx context.Context, c audit.Caller, code string) error {
	now := s.now()
	_, err := s.updateUser(ctx, c, "2fa_enable", func(u *User) error {
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

// DisableTOTP turns 2FA off after the password.
func (s *Service) DisableTOTP(ctx context.Context, c audit.Caller, password string) error {
	if _, err := s.Reauthenticate(ctx, c, password, "2fa_disable", "the password is incorrect"); err != nil {
		return err
	}
	_, err := s.updateUser(ctx, c, "2fa_disable", func(u *User) error {
		u.TOTPSecret, u.TOTPPending, u.TOTPEnabled = "", "", false
		return nil
	})
	return err
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
