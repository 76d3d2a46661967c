package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"
)

// MaxBodyBytes is the largest request body the API reads.
const MaxBodyBytes = 64 << 10

// validator is a request body that can check itself.
type validator interface {
	Validate() error
}

// readBody reads the (limited) body. Oversized bodies are 413.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return nil, errCode("unsupported_media_type", "send the body as application/json")
		}
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, errCode("payload_too_large", fmt.Sprintf("the request body is larger than %d bytes", MaxBodyBytes))
	}
	if err != nil {
		return nil, errCode("invalid_json", "the request body could not be read")
	}
	return b, nil
}

// decode parses a JSON body into T: one object, no unknown fields (so a
// client can never smuggle balance, role or owner_id into a write), then
// T.Validate.
func decode[T validator](w http.ResponseWriter, r *http.Request) (T, []byte, error) {
	var v T
	b, err := readBody(w, r)
	if err != nil {
		return v, nil, err
	}
	if err := decodeBytes(b, &v); err != nil {
		return v, b, err
	}
	return v, b, v.Validate()
}

func decodeBytes(b []byte, v any) error {
	if len(bytes.TrimSpace(b)) == 0 {
		return errCode("invalid_json", "the request body is empty; send a JSON object")
	}
	// Only an object can be a request: this also keeps a bare null from
	// leaving a nil pointer for Validate.
	if bytes.TrimSpace(b)[0] != '{' {
		return errCode("invalid_json", "the body must be a JSON object")
	}
	// JSON is UTF-8 (RFC 8259), and no field of ours may hold a NUL, which
	// PostgreSQL refuses in text: both are refused here, before any SQL,
	// the same on both engines.
	if !utf8.Valid(b) {
		return errCode("invalid_json", "the body is not valid UTF-8")
	}
	if hasEscapedNUL(b) {
		return errCode("invalid_json", "the body contains a NUL character (\\u0000)")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errCode("invalid_json", jsonProblem(err))
	}
	if dec.More() {
		return errCode("invalid_json", "the body has data after the JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return errCode("invalid_json", "the body has data after the JSON object")
	}
	return nil
}

// hasEscapedNUL reports whether a JSON text has a \u0000 escape (a raw NUL
// is a JSON syntax error anyway). It follows escapes, so an escaped
// backslash followed by "u0000" is not one.
func hasEscapedNUL(b []byte) bool {
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' || i+1 >= len(b) {
			continue
		}
		if b[i+1] == 'u' && i+5 < len(b) && string(b[i+2:i+6]) == "0000" {
			return true
		}
		i++ // skip the escaped character
	}
	return false
}

// cleanText makes a header value safe to store: valid UTF-8, no NUL or
// other control characters.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// jsonProblem describes a decoding error without echoing internals.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("malformed JSON at byte %d", se.Offset)
	case errors.As(err, &te):
		if te.Field != "" {
			return fmt.Sprintf("field %q must be a %s", te.Field, jsonType(te.Type.Kind().String()))
		}
		return "the body must be a JSON object"
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ")
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "the JSON body ends too early"
	}
	return "the body is not valid JSON"
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "struct", "map":
		return "object"
	case "slice", "array":
		return "array"
	}
	return "number"
}

// encode writes v as JSON with the status.
func encode(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("api: encode: %w", err)
	}
	writeJSON(w, status, b)
	return nil
}

func writeJSON(w http.ResponseWriter, status int, b []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(b)
	_, _ = w.Write([]byte("\n"))
}
