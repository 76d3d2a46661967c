package api

import (
	"net/http"

	"github.com/google/uuid"

	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/store"
)

// maxPayees bounds one customer's saved payees.
const maxPayees = 200

type payeeView struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	AccountNumber string `json:"account_number"`
	CreatedAt     string `json:"created_at"`
}

func (s *Server) listPayees(w http.ResponseWriter, r *http.Request) error {
	list, err := s.db.Payees(r.Context(), principalOf(r).UserID)
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
	p := principalOf(r)
	pv := store.Payee{ID: uuid.Must(uuid.NewV7()).String(), OwnerID: p.UserID, Name: req.Name, AccountNumber: req.AccountNumber, CreatedAt: s.now().UTC()}
	err = s.db.InTx(r.Context(), func(tx *store.Tx) error {
		if n, err := tx.CountPayees(r.Context(), p.UserID); err != nil {
			return err
		} else if n >= maxPayees {
			return &ledger.Error{Code: "limit_exceeded", Msg: "You can save at most 200 payees. Remove one to add another."}
		}
		if a, err := tx.AccountByNumber(r.Context(), req.AccountNumber); err != nil || a.Status == ledger.StatusClosed {
			return bank.ErrRecipientNotFound
		}
		if err := tx.CreatePayee(r.Context(), pv); err != nil {
			return err
		}
		return tx.InsertAudit(r.Context(), s.audit(r, p.UserID, "payee_add", "payee:"+pv.ID, "success"))
	})
	if err != nil {
		return err
	}
	return encode(w, http.StatusCreated, map[string]any{"payee": payeeView{ID: pv.ID, Name: pv.Name, AccountNumber: pv.AccountNumber, CreatedAt: ts(pv.CreatedAt)}})
}

func (s *Server) deletePayee(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		if err := tx.DeletePayee(r.Context(), p.UserID, r.PathValue("id")); err != nil {
			return &ledger.Error{Code: "not_found", Msg: "payee not found"}
		}
		return tx.InsertAudit(r.Context(), s.audit(r, p.UserID, "payee_delete", "payee:"+r.PathValue("id"), "success"))
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
