package api

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/bankapp/bankapp/internal/auth"
	"github.com/bankapp/bankapp/internal/store"
)

func (s *Server) getMe(w http.ResponseWriter, r *http.Request) error {
	u, err := s.db.UserByID(r.Context(), principalOf(r).UserID)
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, map[string]any{"user": viewUser(u)})
}

type patchMeRequest struct {
	FullName *string `json:"full_name"`
}

func (q *patchMeRequest) Validate() error {
	if q.FullName == nil {
		return validation(FieldError{"full_name", "Enter your full name."})
	}
	n := strings.TrimSpace(*q.FullName)
	if c := utf8.RuneCountInString(n); c < 1 || c > 100 || strings.ContainsAny(n, "\x00\r\n\t") {
		return validation(FieldError{"full_name", "Your name can be at most 100 characters, on one line."})
	}
	*q.FullName = n
	return nil
}

func (s *Server) patchMe(w http.ResponseWriter, r *http.Request) error {
	req, _, err := decode[*patchMeRequest](w, r)
	if err != nil {
		return err
	}
	var u auth.User
	err = s.db.InTx(r.Context(), func(tx *store.Tx) error {
		u, err = tx.UserByIDForUpdate(r.Context(), principalOf(r).UserID)
		if err != nil {
			return err
		}
		u.FullName = *req.FullName
		if err := tx.UpdateUser(r.Context(), u); err != nil {
			return err
		}
		return tx.InsertAudit(r.Context(), s.audit(r, u.ID, "profile_update", "user:"+u.ID, "success"))
	})
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, map[string]any{"user": viewUser(u)})
}

type passwordRequest struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

func (q *passwordRequest) Validate() error {
	if q.CurrentPassword == "" {
		return validation(FieldError{"current_password", "Enter your current password."})
	}
	return nil
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) error {
	req, _, err := decode[*passwordRequest](w, r)
	if err != nil {
		return err
	}
	p := principalOf(r)
	u, err := s.reauthenticate(r, req.CurrentPassword, "password_change", "the current password is incorrect")
	if err != nil {
		return err
	}
	if msg := auth.CheckPassword(req.NewPassword, u.Email); msg != "" {
		return validation(FieldError{"new_password", msg})
	}
	if req.NewPassword == req.CurrentPassword {
		return validation(FieldError{"new_password", "Choose a new password that is different from your current one."})
	}
	hash, err := s.hashPassword(r.Context(), req.NewPassword)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	err = s.db.InTx(r.Context(), func(tx *store.Tx) error {
		u, err := tx.UserByIDForUpdate(r.Context(), p.UserID)
		if err != nil {
			return err
		}
		u.PasswordHash = hash
		if err := tx.UpdateUser(r.Context(), u); err != nil {
			return err
		}
		if err := tx.RevokeOtherSessions(r.Context(), u.ID, p.SessionID, now); err != nil {
			return err
		}
		return tx.InsertAudit(r.Context(), s.audit(r, u.ID, "password_change", "user:"+u.ID, "success"))
	})
	if err != nil {
		return err
	}
	s.sessions.forgetUser(p.UserID)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) setup2FA(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	var secret, url string
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		u, err := tx.UserByIDForUpdate(r.Context(), p.UserID)
		if err != nil {
			return err
		}
		if u.TOTPEnabled {
			return errCode("totp_already_enabled", "two-factor authentication is already on; disable it first to set up a new device")
		}
		secret, url, err = auth.NewTOTPSecret("BankApp", u.Email)
		if err != nil {
			return err
		}
		u.TOTPPending = secret
		if err := tx.UpdateUser(r.Context(), u); err != nil {
			return err
		}
		return tx.InsertAudit(r.Context(), s.audit(r, u.ID, "2fa_setup", "user:"+u.ID, "success"))
	})
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, map[string]string{"secret": secret, "otpauth_url": url})
}

type codeRequest struct {
	Code string `json:"code"`
}

func (q *codeRequest) Validate() error {
	if len(q.Code) != 6 || strings.Trim(q.Code, "0123456789") != "" {
		return validation(FieldError{"code", "Enter the 6-digit code from your authenticator app."})
	}
	return nil
}

func (s *Server) enable2FA(w http.ResponseWriter, r *http.Request) error {
	req, _, err := decode[*codeRequest](w, r)
	if err != nil {
		return err
	}
	p := principalOf(r)
	now := s.now().UTC()
	err = s.db.InTx(r.Context(), func(tx *store.Tx) error {
		u, err := tx.UserByIDForUpdate(r.Context(), p.UserID)
		if err != nil {
			return err
		}
		if u.TOTPEnabled {
			return errCode("totp_already_enabled", "two-factor authentication is already on")
		}
		if u.TOTPPending == "" {
			return &Error{Status: http.StatusUnprocessableEntity, Code: "invalid_totp", Msg: "start with POST /api/v1/me/2fa/setup"}
		}
		step, ok := auth.CheckTOTP(u.TOTPPending, req.Code, now, u.TOTPLastStep)
		if !ok {
			return &Error{Status: http.StatusUnprocessableEntity, Code: "invalid_totp", Msg: "the code is wrong or expired; check your device's clock"}
		}
		u.TOTPSecret, u.TOTPPending, u.TOTPEnabled, u.TOTPLastStep = u.TOTPPending, "", true, step
		if err := tx.UpdateUser(r.Context(), u); err != nil {
			return err
		}
		return tx.InsertAudit(r.Context(), s.audit(r, u.ID, "2fa_enable", "user:"+u.ID, "success"))
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type passwordOnlyRequest struct {
	Password string `json:"password"`
}

func (q *passwordOnlyRequest) Validate() error {
	if q.Password == "" {
		return validation(FieldError{"password", "Enter your password."})
	}
	return nil
}

func (s *Server) disable2FA(w http.ResponseWriter, r *http.Request) error {
	req, _, err := decode[*passwordOnlyRequest](w, r)
	if err != nil {
		return err
	}
	p := principalOf(r)
	if _, err := s.reauthenticate(r, req.Password, "2fa_disable", "the password is incorrect"); err != nil {
		return err
	}
	err = s.db.InTx(r.Context(), func(tx *store.Tx) error {
		u, err := tx.UserByIDForUpdate(r.Context(), p.UserID)
		if err != nil {
			return err
		}
		u.TOTPSecret, u.TOTPPending, u.TOTPEnabled = "", "", false
		if err := tx.UpdateUser(r.Context(), u); err != nil {
			return err
		}
		return tx.InsertAudit(r.Context(), s.audit(r, u.ID, "2fa_disable", "user:"+u.ID, "success"))
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type sessionView struct {
	ID         string `json:"id"`
	CreatedAt  string `json:"created_at"`
	LastUsedAt string `json:"last_used_at"`
	UserAgent  string `json:"user_agent"`
	IP         string `json:"ip"`
	Current    bool   `json:"current"`
}

func (s *Server) listSessions(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	list, err := s.db.ActiveSessions(r.Context(), p.UserID, s.now())
	if err != nil {
		return err
	}
	items := make([]sessionView, 0, len(list))
	for _, x := range list {
		items = append(items, sessionView{ID: x.ID, CreatedAt: ts(x.CreatedAt), LastUsedAt: ts(x.LastUsedAt), UserAgent: x.UserAgent, IP: x.IP, Current: x.ID == p.SessionID})
	}
	return encode(w, http.StatusOK, map[string]any{"items": items})
}

func (s *Server) deleteSession(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	id := r.PathValue("id")
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		if err := tx.RevokeSession(r.Context(), p.UserID, id, s.now().UTC()); err != nil {
			return err
		}
		return tx.InsertAudit(r.Context(), s.audit(r, p.UserID, "session_revoke", "session:"+id, "success"))
	})
	if err != nil {
		return err
	}
	s.sessions.forget(id)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// reauthenticate checks the signed-in user's password before a sensitive
// change; a wrong one is audited under action and answered 401
// invalid_credentials (the session stays).
func (s *Server) reauthenticate(r *http.Request, password, action, wrong string) (auth.User, error) {
	u, err := s.db.UserByID(r.Context(), principalOf(r).UserID)
	if err != nil {
		return u, err
	}
	ok, err := s.verifyPassword(r.Context(), u.PasswordHash, password)
	if err != nil {
		return u, err
	}
	if !ok {
		s.auditAlone(r, u.ID, action, "user:"+u.ID, "failure:invalid_credentials")
		return u, errCode("invalid_credentials", wrong)
	}
	return u, nil
}
