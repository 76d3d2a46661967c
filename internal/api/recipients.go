package api

import (
	"net/http"
)

// POST /api/v1/recipients/lookup: the masked holder name and currency of an
// account number for the transfer review (bank.Service.LookupRecipient:
// per-user bucket, audited). The number travels in the body, not the URL,
// so it stays out of access logs.

type recipientLookupRequest struct {
	AccountNumber string `json:"account_number"`
}

// Validate leaves the number's checks to the bank, which takes the caller's
// lookup bucket first.
func (q *recipientLookupRequest) Validate() error { return nil }

type recipientView struct {
	AccountNumber string `json:"account_number"`
	Name          string `json:"name"`
	Currency      string `json:"currency"`
}

func (s *Server) lookupRecipient(w http.ResponseWriter, r *http.Request) error {
	q, _, err := decode[*recipientLookupRequest](w, r)
	if err != nil {
		return err
	}
	rec, err := s.bank.LookupRecipient(r.Context(), s.caller(r), q.AccountNumber)
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, map[string]any{"recipient": recipientView{
		AccountNumber: rec.AccountNumber, Name: rec.Name, Currency: string(rec.Currency)}})
}
