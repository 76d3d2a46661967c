package api

import (
	"net/http"

	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/store"
)

func (s *Server) listAccounts(w http.ResponseWriter, r *http.Request) error {
	list, err := s.db.AccountsByOwner(r.Context(), principalOf(r).UserID)
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
	p := principalOf(r)
	var a ledger.Account
	err = s.db.InTx(r.Context(), func(tx *store.Tx) error {
		if err := tx.LockUser(r.Context(), p.UserID); err != nil {
			return err
		}
		a, err = bank.OpenAccount(r.Context(), tx, p.UserID, req.Type, ledger.Currency(req.Currency), req.Name, s.now().UTC())
		if err != nil {
			return err
		}
		return tx.InsertAudit(r.Context(), s.audit(r, p.UserID, "account_open", "account:"+a.ID, "success"))
	})
	if err != nil {
		return err
	}
	return encode(w, http.StatusCreated, map[string]any{"account": viewAccount(a)})
}

func (s *Server) getAccount(w http.ResponseWriter, r *http.Request) error {
	a, err := s.db.AccountByID(r.Context(), principalOf(r).UserID, r.PathValue("id"))
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
	p := principalOf(r)
	var a ledger.Account
	err = s.db.InTx(r.Context(), func(tx *store.Tx) error {
		if err := tx.SetAccountName(r.Context(), p.UserID, r.PathValue("id"), req.Name); err != nil {
			return bank.ErrAccountNotFound
		}
		if a, err = tx.AccountByID(r.Context(), p.UserID, r.PathValue("id")); err != nil {
			return err
		}
		return tx.InsertAudit(r.Context(), s.audit(r, p.UserID, "account_rename", "account:"+a.ID, "success"))
	})
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, map[string]any{"account": viewAccount(a)})
}

// closeAccount closes an account with a zero balance. Closing a closed
// account answers it again (DELETE is idempotent).
func (s *Server) closeAccount(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	var a ledger.Account
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		a, err = tx.AccountByIDForUpdate(r.Context(), p.UserID, r.PathValue("id"))
		if err != nil {
			return err
		}
		if a.Status == ledger.StatusClosed {
			return nil
		}
		if a.Balance != 0 {
			return bank.ErrBalanceNotZero
		}
		if held, err := tx.HasHoldings(r.Context(), a.ID); err != nil {
			return err
		} else if held {
			return &ledger.Error{Code: "balance_not_zero", Msg: "the account still holds securities; sell them before closing it"}
		}
		if a.Status == ledger.StatusFrozen {
			return ledger.ErrAccountFrozen
		}
		if err := tx.SetAccountStatus(r.Context(), a.ID, ledger.StatusClosed); err != nil {
			return err
		}
		a.Status = ledger.StatusClosed
		return tx.InsertAudit(r.Context(), s.audit(r, p.UserID, "account_close", "account:"+a.ID, "success"))
	})
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, map[string]any{"account": viewAccount(a)})
}
