package api

import (
	"net/http"

	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/ledger"
)

func (s *Server) listAccounts(w http.ResponseWriter, r *http.Request) error {
	list, err := s.bank.Accounts(r.Context(), principalOf(r).UserID)
	if err != nil {
		return err
	}
	items := make([]accountView, 0, len(list))
	for _, a := range list {
		items = append(items, viewAccount(a))
	}
	return encode(w, http.StatusOK, map[string]any{"items": items})
}

type openAccountRequest struct {
	Type     string `json:"type"`
	Currency string `json:"currency"`
	Name     string `json:"name"`
}

func (q *openAccountRequest) Validate() error {
	var fe []FieldError
	switch q.Type {
	case ledger.TypeChecking, ledger.TypeSavings, ledger.TypeBrokerage:
	default:
		fe = append(fe, FieldError{"type", "Choose checking, savings or brokerage."})
	}
	if q.Currency != "" && !ledger.Currency(q.Currency).Valid() {
		fe = append(fe, FieldError{"currency", "Choose US dollars, euros or pounds (USD, EUR or GBP)."})
	}
	if q.Name != "" {
		if _, ok := bank.CleanName(q.Name); !ok {
			fe = append(fe, FieldError{"name", "Give the account a name of 1 to 60 characters."})
		}
	}
	if len(fe) > 0 {
		return validation(fe...)
	}
	return nil
}

func (s *Server) openAccount(w http.ResponseWriter, r *http.Request) error {
	req, _, err := decode[*openAccountRequest](w, r)
	if err != nil {
		return err
	}
	a, err := s.bank.OpenAccount(r.Context(), s.caller(r), req.Type, ledger.Currency(req.Currency), req.Name)
	if err != nil {
		return err
	}
	return encode(w, http.StatusCreated, map[string]any{"account": viewAccount(a)})
}

func (s *Server) getAccount(w http.ResponseWriter, r *http.Request) error {
	a, err := s.bank.Account(r.Context(), principalOf(r).UserID, r.PathValue("id"))
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, map[string]any{"account": viewAccount(a)})
}

type renameRequest struct {
	Name string `json:"name"`
}

func (q *renameRequest) Validate() error {
	n, ok := bank.CleanName(q.Name)
	if !ok {
		return validation(FieldError{"name", "Give the account a name of 1 to 60 characters."})
	}
	q.Name = n
	return nil
}

func (s *Server) renameAccount(w http.ResponseWriter, r *http.Request) error {
	req, _, err := decode[*renameRequest](w, r)
	if err != nil {
		return err
	}
	a, err := s.bank.RenameAccount(r.Context(), s.caller(r), r.PathValue("id"), req.Name)
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, map[string]any{"account": viewAccount(a)})
}

// closeAccount closes an account with a zero balance. Closing a closed
// account answers it again (DELETE is idempotent).
func (s *Server) closeAccount(w http.ResponseWriter, r *http.Request) error {
	a, err := s.bank.CloseAccount(r.Context(), s.caller(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, map[string]any{"account": viewAccount(a)})
}
