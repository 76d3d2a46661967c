package api

import (
	"errors"
	"net/http"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bankapp/bankapp/internal/auth"
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
	u, err := s.auth.Register(r.Context(), s.caller(r), req.Email, req.Password, req.FullName)
	if err != nil {
		return hashErr(err)
	}
	return encode(w, http.StatusCreated, map[string]any{"user": viewUser(u)})
}

type loginRequest struct {
	Email        string `json:"email"`
	Password     string `json:"password"`
	TOTPCode     string `json:"totp_code"`
	RecoveryCode string `json:"recovery_code"`
	Session      string `json:"session"`
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
	if q.TOTPCode != "" && q.RecoveryCode != "" {
		fe = append(fe, FieldError{"recovery_code", "send either totp_code or recovery_code, not both"})
	}
	if len(q.TOTPCode) > 64 {
		fe = append(fe, FieldError{"totp_code", "must be the 6-digit code from your authenticator app"})
	}
	if len(q.RecoveryCode) > 64 {
		fe = append(fe, FieldError{"recovery_code", "must be one of your recovery codes"})
	}
	if len(fe) > 0 {
		return validation(fe...)
	}
	return nil
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	req, _, err := decode[*loginRequest](w, r)
	if err != nil {
		return err
	}
	cookie := req.Session == "cookie"
	var device string
	if c, err := r.Cookie(DeviceCookie); err == nil {
		device = c.Value
	}
	in, err := s.auth.Login(r.Context(), s.caller(r), auth.Credentials{Email: req.Email, Password: req.Password,
		TOTPCode: req.TOTPCode, RecoveryCode: req.RecoveryCode, Cookie: cookie, Device: device})
	if err != nil {
		return hashErr(err)
	}
	if in.DeviceCookie != "" {
		s.setDeviceCookie(w, in.DeviceCookie)
	}
	uv := viewUser(in.User)
	return s.writeTokens(w, in, cookie, &uv)
}

type tokenResponse struct {
	AccessToken  string    `json:"access_token"`
	TokenType    string    `json:"token_type"`
	ExpiresIn    int       `json:"expires_in"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	User         *userView `json:"user,omitempty"`
}

func (s *Server) writeTokens(w http.ResponseWriter, in auth.SignIn, cookie bool, uv *userView) error {
	resp := tokenResponse{AccessToken: in.Access, TokenType: "Bearer", ExpiresIn: int(s.tokens.TTL().Seconds()), User: uv}
	if cookie {
		s.setRefreshCookie(w, in.Refresh, in.Session.ExpiresAt, s.now())
	} else {
		resp.RefreshToken = in.Refresh
	}
	return encode(w, http.StatusOK, resp)
}

// RefreshCookie is the name of the browser session cookie (API.md
// "Browser sessions"). The __Host- prefix pins it to this host, path / and
// Secure; browsers accept it on http://localhost too.
const RefreshCookie = "__Host-bankapp_refresh"

func (s *Server) setRefreshCookie(w http.ResponseWriter, token string, expires, now time.Time) {
	http.SetCookie(w, &http.Cookie{Name: RefreshCookie, Value: token, Path: "/", Expires: expires,
		MaxAge: max(int(expires.Sub(now).Seconds()), 1), HttpOnly: true, Secure: true, SameSite: http.SameSiteStrictMode})
}

// DeviceCookie names a browser for the new-device notice: a random id and
// its MAC, set at a browser (cookie-mode) sign-in and renewed at each; auth
// decides what it means. HttpOnly, so no script reads it.
const DeviceCookie = "__Host-bankapp_device"

func (s *Server) setDeviceCookie(w http.ResponseWriter, value string) {
	http.SetCookie(w, &http.Cookie{Name: DeviceCookie, Value: value, Path: "/", MaxAge: int(auth.DeviceCookieMaxAge.Seconds()),
		HttpOnly: true, Secure: true, SameSite: http.SameSiteStrictMode})
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
	in, err := s.auth.Refresh(r.Context(), s.caller(r), old)
	if errors.Is(err, auth.ErrRefreshReused) {
		s.sessions.forget(in.Session.ID)
	}
	if err != nil {
		if cookie && (errors.Is(err, auth.ErrUnauthorized) || errors.Is(err, auth.ErrRefreshReused)) {
			s.clearRefreshCookie(w)
		}
		return err
	}
	return s.writeTokens(w, in, cookie, nil)
}

// logout ends the session named by the Bearer token or, for a browser, by
// the refresh cookie.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	c := s.caller(r)
	p, err := s.authenticate(r)
	if err != nil {
		if r.Header.Get("Authorization") != "" {
			return err
		}
		tok, _, cerr := s.refreshToken(w, r)
		if cerr != nil {
			return cerr
		}
		sess, serr := s.auth.SessionOfRefresh(r.Context(), tok)
		if serr != nil {
			s.clearRefreshCookie(w)
			return errUnauthorized
		}
		p = principal{UserID: sess.UserID, SessionID: sess.ID}
	}
	c.UserID, c.SessionID = p.UserID, p.SessionID
	if err := s.auth.Logout(r.Context(), c); err != nil {
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
