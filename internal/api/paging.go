package api

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"strconv"
	"unicode/utf8"
)

// pageParams reads limit (1–200, default 50) and the opaque cursor.
func pageParams(r *http.Request) (limit int, cursor string, err error) {
	limit = 50
	if v := r.URL.Query().Get("limit"); v != "" {
		n, perr := strconv.Atoi(v)
		if perr != nil || n < 1 || n > 200 {
			return 0, "", &Error{Code: "invalid_parameter", Msg: "limit must be a whole number from 1 to 200",
				Fields: []FieldError{{"limit", "must be from 1 to 200"}}}
		}
		limit = n
	}
	if c := r.URL.Query().Get("cursor"); c != "" {
		b, derr := base64.RawURLEncoding.DecodeString(c)
		if derr != nil || len(b) == 0 || len(b) > 200 || !utf8.Valid(b) || bytes.IndexByte(b, 0) >= 0 {
			return 0, "", &Error{Code: "invalid_parameter", Msg: "cursor is not valid; use next_cursor from the previous page",
				Fields: []FieldError{{"cursor", "is not valid"}}}
		}
		cursor = string(b)
	}
	return limit, cursor, nil
}

// nextCursor encodes the position after the last item, or nil at the end.
func nextCursor(more bool, last string) *string {
	if !more {
		return nil
	}
	c := base64.RawURLEncoding.EncodeToString([]byte(last))
	return &c
}

// invalidParam is a 422 invalid_parameter about one query parameter.
func invalidParam(field, msg string) error {
	return &Error{Code: "invalid_parameter", Msg: field + " " + msg, Fields: []FieldError{{field, msg}}}
}
