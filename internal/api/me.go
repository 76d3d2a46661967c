package api

import (
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/bankapp/bankapp/internal/auth"
)

func (s *Server) getMe(w http.ResponseWriter, r *http.Request) error {
	u, err := s.auth.Me(r.Context(), principalOf(r).UserID)
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, map[string]any{"user": viewUser(u)})
}

type patchMeRequest struct {
	FullName     *string `json:"full_name"`
	BaseCurrency *string `json:"base_currency"`
}

func (q *patchMeRequest) Validate() error {
	if q.FullName == nil && q.BaseCurrency == nil {
		return validation(FieldError{"full_name", "send full_name, base_currency or both"})
	}
	if q.FullName == nil {
		return nil
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
	u, err := s.auth.UpdateProfile(r.Context(), s.caller(r), auth.Profile{FullName: req.FullName, BaseCurrency: req.BaseCurrency})
	if err != nil {
		var ae *auth.Error
		if errors.As(err, &ae) && ae.Code == "validation_failed" {
			return validation(FieldError{ae.Field, ae.Msg})
		}
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
	if err := s.auth.ChangePassword(r.Context(), s.caller(r), req.CurrentPassword, req.NewPassword); err != nil {
		var ae *auth.Error
		if errors.As(err, &ae) && ae.Code == "validation_failed" {
			return validation(FieldError{ae.Field, ae.Msg})
		}
		return hashErr(err)
	}
	s.sessions.forgetUser(principalOf(r).UserID)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) setup2FA(w http.ResponseWriter, r *http.Request) error {
	secret, url, err := s.auth.SetupTOTP(r.Context(), s.caller(r))
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
	if err := s.auth.EnableTOTP(r.Context(), s.caller(r), req.Code); err != nil {
		var ae *auth.Error
		if errors.As(err, &ae) && ae.Code == "invalid_totp" {
			// At login invalid_totp is 401; here the session is fine: 422.
			return &Error{Status: http.StatusUnprocessableEntity, Code: ae.Code, Msg: ae.Msg}
		}
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
	if err := s.auth.DisableTOTP(r.Context(), s.caller(r), req.Password); err != nil {
		return hashErr(err)
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
	list, err := s.auth.Sessions(r.Context(), p.UserID)
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
	id := r.PathValue("id")
	if err := s.auth.RevokeSession(r.Context(), s.caller(r), id); err != nil {
		return err
	}
	s.sessions.forget(id)
	w.WriteHeader(http.StatusNoContent)
	return nil
}
