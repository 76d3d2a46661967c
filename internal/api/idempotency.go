package api

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"

	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/store"
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

// idempotent runs fn once per (user, Idempotency-Key): fn's writes, the
// stored response and everything else in tx commit together. A replay
// answers the stored status and body with Idempotent-Replayed: true.
// The key must have been read with idempotencyKey before the body was
// validated, so that a missing key is reported first.
func (s *Server) idempotent(w http.ResponseWriter, r *http.Request, key string, body []byte,
	fn func(tx *store.Tx) (status int, v any, err error)) error {
	p := principalOf(r)
	res, err := ledger.Idempotent(r.Context(), s.keys, s.db.InTx, p.UserID, key, requestHash(r, body),
		func(tx *store.Tx) (ledger.Response, error) {
			status, v, err := fn(tx)
			if err != nil {
				return ledger.Response{}, err
			}
			b, err := json.Marshal(v)
			if err != nil {
				return ledger.Response{}, err
			}
			return ledger.Response{Status: status, Body: b}, nil
		})
	if err != nil {
		return err
	}
	writeStored(w, res)
	return nil
}

// writeStored writes a money-moving response, marking a replay.
func writeStored(w http.ResponseWriter, res ledger.Response) {
	if res.Replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	writeJSON(w, res.Status, res.Body)
}
