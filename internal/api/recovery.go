package api

import (
	"errors"
	"net/http"
	"strings"

	"github.com/bankapp/bankapp/internal/auth"
)

// Account recovery and email (API.md v1.1). The rules — limits, tokens,
// what is sent — are auth's; these handlers decode and encode.

type emailRequest struct {
	Email string `json:"email"`
}

func (q *emailRequest) Validate() error {
	q.Email = strings.ToLower(strings.TrimSpace(q.Email))
	if !validEmail(q.Email) {
		return validation(FieldError{"email", "must be a valid email address"})
	}
	return nil
}

// acceptedView is the body of a 202: the same whatever happened behind it.
type acceptedView struct {
	Message string `json:"message"`
}

// resetAccepted is the one answer to a reset request, for addresses with
// and without an account alike.
var resetAccepted = acceptedView{Message: "If an account uses this email address, we have sent it a link to choose a new password. The link works for 30 minutes."}

func (s *Server) requestPasswordReset(w http.ResponseWriter, r *http.Request) error {
	req, _, err := decode[*emailRequest](w, r)
	if err != nil {
		return err
	}
	if err := s.auth.RequestPasswordReset(r.Context(), s.caller(r), req.Email); err != nil {
		return err
	}
	return encode(w, http.StatusAccepted, resetAccepted)
}

type resetConfirmRequest struct {
	Token       string `json:"token"`
	NewPassword string `json:"new_password"`
}

func (q *resetConfirmRequest) Validate() error {
	var fe []FieldError
	if q.Token == "" {
		fe = append(fe, FieldError{"token", "is required: the token from the link in the email"})
	}
	if q.NewPassword == "" {
		fe = append(fe, FieldError{"new_password", "is required"})
	}
	if len(fe) > 0 {
		return validation(fe...)
	}
	return nil
}

func (s *Server) confirmPasswordReset(w http.ResponseWriter, r *http.Request) error {
	req, _, err := decode[*resetConfirmRequest](w, r)
	if err != nil {
		return err
	}
	userID, err := s.auth.ConfirmPasswordReset(r.Context(), s.caller(r), req.Token, req.NewPassword)
	if err != nil {
		var ae *auth.Error
		if errors.As(err, &ae) && ae.Code == "validation_failed" {
			return validation(FieldError{ae.Field, ae.Msg})
		}
		return hashErr(err)
	}
	// Every session is revoked: stop trusting this instance's cache of them.
	s.sessions.forgetUser(userID)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type tokenRequest struct {
	Token string `json:"token"`
}

func (q *tokenRequest) Validate() error {
	if q.Token == "" {
		return validation(FieldError{"token", "is required: the token from the link in the email"})
	}
	return nil
}

func (s *Server) verifyEmail(w http.ResponseWriter, r *http.Request) error {
	req, _, err := decode[*tokenRequest](w, r)
	if err != nil {
		return err
	}
	if err := s.auth.VerifyEmail(r.Context(), s.caller(r), req.Token); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) resendVerification(w http.ResponseWriter, r *http.Request) error {
	if err := s.auth.ResendVerification(r.Context(), s.caller(r)); err != nil {
		return err
	}
	return encode(w, http.StatusAccepted, acceptedView{Message: "We have sent a new verification link to your email address."})
}

type recoveryCodesView struct {
	Codes []string `json:"codes"`
}

func (s *Server) regenerateRecoveryCodes(w http.ResponseWriter, r *http.Request) error {
	req, _, err := decode[*passwordOnlyRequest](w, r)
	if err != nil {
		return err
	}
	codes, err := s.auth.RegenerateRecoveryCodes(r.Context(), s.caller(r), req.Password)
	if err != nil {
		return hashErr(err)
	}
	return encode(w, http.StatusOK, recoveryCodesView{Codes: codes})
}
