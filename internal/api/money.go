package api

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/store"
)

// moneyString is an amount as the client sent it. Only a JSON string is
// accepted; a JSON number is remembered as invalid so that validation can
// answer 422 invalid_amount rather than a decoding error.
type moneyString struct {
	s     string
	isNum bool
}

func (m *moneyString) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &m.s)
	}
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	m.isNum = true
	return nil
}

func (m moneyString) check() error {
	if m.isNum {
		return &ledger.Error{Code: "invalid_amount", Msg: `amount must be a decimal string such as "12.50", not a JSON number`, Field: "amount"}
	}
	if m.s == "" {
		return &ledger.Error{Code: "invalid_amount", Msg: "Enter an amount.", Field: "amount"}
	}
	return nil
}

type movementRequest struct {
	AccountID   string      `json:"account_id"`
	Amount      moneyString `json:"amount"`
	Description string      `json:"description"`
}

func (q *movementRequest) Validate() error {
	if q.AccountID == "" {
		return validation(FieldError{"account_id", "Choose an account."})
	}
	return q.Amount.check()
}

type transferRequest struct {
	FromAccountID   string      `json:"from_account_id"`
	ToAccountNumber string      `json:"to_account_number"`
	Amount          moneyString `json:"amount"`
	Description     string      `json:"description"`
}

func (q *transferRequest) Validate() error {
	var fe []FieldError
	if q.FromAccountID == "" {
		fe = append(fe, FieldError{"from_account_id", "Choose the account to send from."})
	}
	if q.ToAccountNumber == "" {
		fe = append(fe, FieldError{"to_account_number", ledger.AccountNumberProblem("")})
	}
	if len(fe) > 0 {
		return validation(fe...)
	}
	return q.Amount.check()
}

type transferView struct {
	ID              string  `json:"id"`
	Kind            string  `json:"kind"`
	Status          string  `json:"status"`
	FromAccountID   *string `json:"from_account_id"`
	ToAccountID     *string `json:"to_account_id"`
	ToAccountNumber *string `json:"to_account_number"`
	Amount          string  `json:"amount"`
	Currency        string  `json:"currency"`
	Description     string  `json:"description"`
	CreatedAt       string  `json:"created_at"`
}

// viewTransfer shows a transfer to userID: account ids of the other
// customer's side are hidden (null); the recipient's number is shown.
func viewTransfer(t ledger.Transfer, toNumber, fromOwner, toOwner, userID string) transferView {
	v := transferView{ID: t.ID, Kind: t.Kind, Status: "completed", Amount: ledger.FormatMinor(t.Amount, t.Currency.Digits()),
		Currency: string(t.Currency), Description: t.Description, CreatedAt: ts(t.CreatedAt)}
	if t.FromAccount != "" && fromOwner == userID {
		v.FromAccountID = &t.FromAccount
	}
	if t.ToAccount != "" && toOwner == userID {
		v.ToAccountID = &t.ToAccount
	}
	if toNumber != "" {
		v.ToAccountNumber = &toNumber
	}
	if v.Kind == ledger.KindInterest || v.Kind == ledger.KindFee {
		v.Kind = ledger.KindTransfer
	}
	return v
}

// moveMoney is the shared shape of deposits and withdrawals.
func (s *Server) moveMoney(kind string, do func(ctx2 *http.Request, tx *store.Tx, m bank.Movement) (ledger.Transfer, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		key, err := idempotencyKey(r)
		if err != nil {
			return err
		}
		req, body, err := decode[*movementRequest](w, r)
		if err != nil {
			return err
		}
		p := principalOf(r)
		err = s.idempotent(w, r, key, body, func(tx *store.Tx) (int, any, error) {
			m := bank.Movement{UserID: p.UserID, AccountID: req.AccountID, Amount: req.Amount.s, Description: req.Description, Now: s.now().UTC()}
			t, err := do(r, tx, m)
			if err != nil {
				return 0, nil, err
			}
			var number string
			if t.ToAccount != "" {
				a, err := tx.AccountByID(r.Context(), p.UserID, t.ToAccount)
				if err != nil {
					return 0, nil, err
				}
				number = a.Number
			}
			if err := tx.InsertAudit(r.Context(), s.moneyAudit(r, kind, t)); err != nil {
				return 0, nil, err
			}
			return http.StatusCreated, map[string]any{"transfer": viewTransfer(t, number, p.UserID, p.UserID, p.UserID)}, nil
		})
		s.countMovement(kind, err)
		return err
	}
}

func (s *Server) moneyAudit(r *http.Request, kind string, t ledger.Transfer) store.AuditEvent {
	return s.moneyAuditFor(r, principalOf(r).UserID, kind, t)
}

func (s *Server) moneyAuditFor(r *http.Request, userID, kind string, t ledger.Transfer) store.AuditEvent {
	e := s.audit(r, userID, kind, "transfer:"+t.ID, "success")
	e.Detail = ledger.FormatMinor(t.Amount, t.Currency.Digits()) + " " + string(t.Currency)
	return e
}

func (s *Server) countMovement(kind string, err error) {
	outcome := "ok"
	if err != nil {
		outcome = "refused"
		if c, ok := err.(coder); ok {
			outcome = c.ErrorCode()
		}
	}
	s.metrics.transfers.WithLabelValues(kind, outcome).Inc()
}

func (s *Server) deposit() handlerFunc {
	return s.moveMoney("deposit", func(r *http.Request, tx *store.Tx, m bank.Movement) (ledger.Transfer, error) {
		return bank.Deposit(r.Context(), tx, m)
	})
}

func (s *Server) withdraw() handlerFunc {
	return s.moveMoney("withdrawal", func(r *http.Request, tx *store.Tx, m bank.Movement) (ledger.Transfer, error) {
		return bank.Withdraw(r.Context(), tx, m)
	})
}

func (s *Server) createTransfer(w http.ResponseWriter, r *http.Request) error {
	key, err := idempotencyKey(r)
	if err != nil {
		return err
	}
	req, body, err := decode[*transferRequest](w, r)
	if err != nil {
		return err
	}
	p := principalOf(r)
	if !s.keys.Enter(p.UserID, key) {
		return ledger.ErrKeyInProgress
	}
	defer s.keys.Leave(p.UserID, key)
	j := &transferJob{ctx: r.Context(), r: r, p: p, key: key, hash: requestHash(r, body), req: req, now: s.now().UTC()}
	var res ledger.Response
	if s.committer != nil {
		res, err = s.committer.submit(j)
	} else {
		res, err = s.transferAlone(j)
	}
	s.countMovement("transfer", err)
	if err != nil {
		return err
	}
	writeStored(w, res)
	return nil
}

func (s *Server) listTransfers(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := pageParams(r)
	if err != nil {
		return err
	}
	p := principalOf(r)
	list, err := s.db.TransfersOfUser(r.Context(), p.UserID, cursor, limit+1)
	if err != nil {
		return err
	}
	more := len(list) > limit
	if more {
		list = list[:limit]
	}
	items := make([]transferView, 0, len(list))
	var last string
	for _, t := range list {
		items = append(items, viewTransfer(t.Transfer, t.ToAccountNumber, t.FromOwner, t.ToOwner, p.UserID))
		last = t.ID
	}
	return encode(w, http.StatusOK, page[transferView]{Items: items, NextCursor: nextCursor(more, last)})
}

func (s *Server) getTransfer(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	t, err := s.db.TransferOfUser(r.Context(), p.UserID, r.PathValue("id"))
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, map[string]any{"transfer": viewTransfer(t.Transfer, t.ToAccountNumber, t.FromOwner, t.ToOwner, p.UserID)})
}
