package api

import (
	"net/http"

	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/ledger"
)

type payeeView struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	AccountNumber string `json:"account_number"`
	CreatedAt     string `json:"created_at"`
}

func (s *Server) listPayees(w http.ResponseWriter, r *http.Request) error {
	list, err := s.bank.Payees(r.Context(), principalOf(r).UserID)
	if err != nil {
		return err
	}
	items := make([]payeeView, 0, len(list))
	for _, p := range list {
		items = append(items, payeeView{ID: p.ID, Name: p.Name, AccountNumber: p.AccountNumber, CreatedAt: ts(p.CreatedAt)})
	}
	return encode(w, http.StatusOK, page[payeeView]{Items: items})
}

type payeeRequest struct {
	Name          string `json:"name"`
	AccountNumber string `json:"account_number"`
}

func (q *payeeRequest) Validate() error {
	var fe []FieldError
	n, ok := bank.CleanName(q.Name)
	if !ok {
		fe = append(fe, FieldError{"name", "Give the payee a name of 1 to 60 characters."})
	}
	q.Name = n
	if msg := ledger.AccountNumberProblem(q.AccountNumber); msg != "" {
		fe = append(fe, FieldError{"account_number", msg})
	}
	if len(fe) > 0 {
		return validation(fe...)
	}
	return nil
}

func (s *Server) addPayee(w http.ResponseWriter, r *http.Request) error {
	req, _, err := decode[*payeeRequest](w, r)
	if err != nil {
		return err
	}
	pv, err := s.bank.AddPayee(r.Context(), s.caller(r), req.Name, req.AccountNumber)
	if err != nil {
		return err
	}
	return encode(w, http.StatusCreated, map[string]any{"payee": payeeView{ID: pv.ID, Name: pv.Name, AccountNumber: pv.AccountNumber, CreatedAt: ts(pv.CreatedAt)}})
}

func (s *Server) deletePayee(w http.ResponseWriter, r *http.Request) error {
	if err := s.bank.DeletePayee(r.Context(), s.caller(r), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
