package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"

	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/ledger"
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

// viewReceipt shows a money movement's receipt as the contract's transfer.
func viewReceipt(rc bank.Receipt) transferView {
	v := transferView{ID: rc.ID, Kind: rc.Kind, Status: "completed", Amount: ledger.FormatMinor(rc.Amount, rc.Currency.Digits()),
		Currency: string(rc.Currency), Description: rc.Description, CreatedAt: ts(rc.CreatedAt)}
	v.FromAccountID, v.ToAccountID, v.ToAccountNumber = optional(rc.FromAccountID), optional(rc.ToAccountID), optional(rc.ToAccountNumber)
	return v
}

// writeReceipt answers a money movement: 201 with the transfer, marked as
// a replay when it is one (records older than receipts hold their body).
func writeReceipt(w http.ResponseWriter, rc bank.Receipt) error {
	if rc.Replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	if rc.Legacy != nil {
		writeJSON(w, http.StatusCreated, rc.Legacy)
		return nil
	}
	return encode(w, http.StatusCreated, map[string]any{"transfer": viewReceipt(rc)})
}

type moveFunc func(ctx context.Context, c audit.Caller, idem bank.Idem, m bank.Movement) (bank.Receipt, error)

// moveMoney is the shared shape of deposits, withdrawals and transfers:
// read the key, decode, call the bank, answer.
func (s *Server) moveMoney(kind string, do moveFunc, movement func(r *http.Request) (bank.Movement, []byte, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		key, err := idempotencyKey(r)
		if err != nil {
			return err
		}
		m, body, err := movement(r)
		if err != nil {
			return err
		}
		rc, err := do(r.Context(), s.caller(r), bank.Idem{Key: key, Hash: requestHash(r, body)}, m)
		s.countMovement(kind, err)
		if err != nil {
			return err
		}
		return writeReceipt(w, rc)
	}
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

// account movements: deposits and withdrawals.
func (s *Server) accountMovement(w http.ResponseWriter) func(r *http.Request) (bank.Movement, []byte, error) {
	return func(r *http.Request) (bank.Movement, []byte, error) {
		req, body, err := decode[*movementRequest](w, r)
		if err != nil {
			return bank.Movement{}, nil, err
		}
		return bank.Movement{AccountID: req.AccountID, Amount: req.Amount.s, Description: req.Description}, body, nil
	}
}

func (s *Server) deposit(w http.ResponseWriter, r *http.Request) error {
	return s.moveMoney(ledger.KindDeposit, s.bank.Deposit, s.accountMovement(w))(w, r)
}

func (s *Server) withdraw(w http.ResponseWriter, r *http.Request) error {
	return s.moveMoney(ledger.KindWithdrawal, s.bank.Withdraw, s.accountMovement(w))(w, r)
}

func (s *Server) createTransfer(w http.ResponseWriter, r *http.Request) error {
	return s.moveMoney(ledger.KindTransfer, s.bank.Transfer, func(r *http.Request) (bank.Movement, []byte, error) {
		req, body, err := decode[*transferRequest](w, r)
		if err != nil {
			return bank.Movement{}, nil, err
		}
		return bank.Movement{AccountID: req.FromAccountID, ToAccountNumber: req.ToAccountNumber, Amount: req.Amount.s,
			Description: req.Description}, body, nil
	})(w, r)
}

func (s *Server) listTransfers(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := pageParams(r)
	if err != nil {
		return err
	}
	p := principalOf(r)
	list, err := s.bank.Transfers(r.Context(), p.UserID, cursor, limit+1)
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
	t, err := s.bank.TransferOf(r.Context(), p.UserID, r.PathValue("id"))
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, map[string]any{"transfer": viewTransfer(t.Transfer, t.ToAccountNumber, t.FromOwner, t.ToOwner, p.UserID)})
}
