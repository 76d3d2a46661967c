package api

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
)

// idempotencyKey reads and checks the Idempotency-Key header: 1–255
// printable ASCII characters.
func idempotencyKey(r *http.Request) (string, error) {
	k := r.Header.Get("Idempotency-Key")
	if k == "" {
		return "", errCode("idempotency_key_required", "money-moving requests need an Idempotency-Key header (e.g. a UUID)")
	}
	if len(k) > 255 {
		return "", errCode("invalid_idempotency_key", "Idempotency-Key must be 1 to 255 printable ASCII characters")
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x20 || k[i] > 0x7e {
			return "", errCode("invalid_idempotency_key", "Idempotency-Key must be 1 to 255 printable ASCII characters")
		}
	}
	return k, nil
}

// requestHash identifies a request for idempotency: method, route and the
// body as the client sent it, canonicalised (JSON re-encoded) so key order
// and whitespace do not matter.
func requestHash(r *http.Request, body []byte) string {
	canon := body
	var v any
	if err := json.Unmarshal(body, &v); err == nil {
		if b, err := json.Marshal(v); err == nil {
			canon = b
		}
	}
	h := sha256.New()
	h.Write([]byte(r.Method + " " + r.URL.Path + "\n"))
	h.Write(canon)
	return hex.EncodeToString(h.Sum(nil))
}
