package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"
	"unicode"
)

// statusByCode is the one table that turns the contract's error codes into
// HTTP statuses. A code not listed here is a 422.
var statusByCode = map[string]int{
	"invalid_json":                http.StatusBadRequest,
	"idempotency_key_required":    http.StatusBadRequest,
	"invalid_idempotency_key":     http.StatusBadRequest,
	"unauthorized":                http.StatusUnauthorized,
	"invalid_credentials":         http.StatusUnauthorized,
	"totp_required":               http.StatusUnauthorized,
	"invalid_totp":                http.StatusUnauthorized, // at login; /me/2fa/enable sets 422 itself
	"forbidden":                   http.StatusForbidden,
	"cross_origin_refused":        http.StatusForbidden,
	"feature_disabled":            http.StatusForbidden,
	"not_found":                   http.StatusNotFound,
	"method_not_allowed":          http.StatusMethodNotAllowed,
	"email_taken":                 http.StatusConflict,
	"balance_not_zero":            http.StatusConflict,
	"idempotency_key_in_progress": http.StatusConflict,
	"totp_already_enabled":        http.StatusConflict,
	"totp_not_enabled":            http.StatusConflict,
	"already_verified":            http.StatusConflict,
	"invalid_token":               http.StatusUnprocessableEntity,
	"payee_exists":                http.StatusConflict,
	"quote_used":                  http.StatusConflict,
	"quote_expired":               http.StatusGone,
	"payload_too_large":           http.StatusRequestEntityTooLarge,
	"unsupported_media_type":      http.StatusUnsupportedMediaType,
	"account_frozen":              http.StatusLocked,
	"account_locked":              http.StatusTooManyRequests,
	"rate_limited":                http.StatusTooManyRequests,
	"market_data_unavailable":     http.StatusServiceUnavailable,
	"unavailable":                 http.StatusServiceUnavailable,
	"internal":                    http.StatusInternalServerError,
}

// coder is any domain error that carries a contract code; its Error() text
// is safe to show to the customer.
type coder interface {
	error
	ErrorCode() string
}

type fielder interface{ ErrorField() string }

// FieldError is one invalid field of a request.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is an HTTP-level error a handler returns: a code, a message for the
// client, and optionally a status that overrides the table, the fields that
// failed validation, and a Retry-After.
type Error struct {
	Status     int
	Code       string
	Msg        string
	Fields     []FieldError
	RetryAfter time.Duration
}

func (e *Error) Error() string { return e.Msg }

// ErrorCode returns the contract code.
func (e *Error) ErrorCode() string { return e.Code }

func errCode(code, msg string) *Error { return &Error{Code: code, Msg: msg} }

func validation(fields ...FieldError) *Error {
	msg := "the request is not valid"
	if len(fields) == 1 {
		msg = fields[0].Field + ": " + fields[0].Message
		// A message written as a customer's sentence ("This account number
		// has a typo: …") stands on its own, without the field's JSON name.
		if m := fields[0].Message; m != "" && unicode.IsUpper([]rune(m)[0]) {
			msg = m
		}
	}
	return &Error{Code: "validation_failed", Msg: msg, Fields: fields}
}

var errUnauthorized = errCode("unauthorized", "authentication is required: send a valid Bearer access token")

// problem is an RFC 9457 problem document.
type problem struct {
	Type      string       `json:"type"`
	Title     string       `json:"title"`
	Status    int          `json:"status"`
	Detail    string       `json:"detail"`
	Code      string       `json:"code"`
	Instance  string       `json:"instance,omitempty"`
	RequestID string       `json:"request_id,omitempty"`
	Errors    []FieldError `json:"errors,omitempty"`
}

// writeError turns any error into a problem response. Errors without a code
// are logged and answered with 500 "internal": their text never reaches the
// client.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	p := problem{Instance: r.URL.Path, RequestID: requestID(r.Context())}
	if p.RequestID == "" {
		// The panic handler runs outside the request id middleware, whose
		// header is already on the response.
		p.RequestID = w.Header().Get("X-Request-Id")
	}
	var he *Error
	var ce coder
	switch {
	case errors.As(err, &he):
		p.Code, p.Detail, p.Errors = he.Code, he.Msg, he.Fields
		p.Status = he.Status
		if he.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int((he.RetryAfter+time.Second-1)/time.Second)))
		}
	case errors.As(err, &ce):
		p.Code, p.Detail = ce.ErrorCode(), ce.Error()
		if ra, ok := ce.(interface{ RetryAfter() time.Duration }); ok && ra.RetryAfter() > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int((ra.RetryAfter()+time.Second-1)/time.Second)))
		}
		if f, ok := ce.(fielder); ok && f.ErrorField() != "" && (p.Code == "validation_failed" || p.Code == "invalid_parameter") {
			p.Errors = []FieldError{{Field: f.ErrorField(), Message: ce.Error()}}
		}
	default:
		s.log.ErrorContext(r.Context(), "internal error", slog.String("request_id", p.RequestID), slog.String("route", r.Pattern), slog.Any("err", err))
		p.Code, p.Detail = "internal", "something went wrong on our side; quote the request id if you contact support"
	}
	if p.Status == 0 {
		var ok bool
		if p.Status, ok = statusByCode[p.Code]; !ok {
			p.Status = http.StatusUnprocessableEntity
		}
	}
	p.Type = "https://bankapp.example.com/problems/" + p.Code
	p.Title = http.StatusText(p.Status)
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}
