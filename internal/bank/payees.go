package bank

import (
	"context"

	"github.com/google/uuid"

	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/ledger"
)

// MaxPayees is how many payees a customer may save.
const MaxPayees = 200

// Payees lists the owner's saved recipients.
func (s *Service) Payees(ctx context.Context, owner string) ([]Payee, error) {
	return s.store.Payees(ctx, owner)
}

// AddPayee saves a recipient for the caller: the number must be an open
// customer account.
func (s *Service) AddPayee(ctx context.Context, c audit.Caller, name, number string) (Payee, error) {
	name, ok := CleanName(name)
	if !ok {
		return Payee{}, errInvalidName
	}
	if msg := ledger.AccountNumberProblem(number); msg != "" {
		return Payee{}, &ledger.Error{Code: "validation_failed", Field: "account_number", Msg: msg}
	}
	p := Payee{ID: uuid.Must(uuid.NewV7()).String(), OwnerID: c.UserID, Name: name, AccountNumber: number, CreatedAt: s.now()}
	err := s.store.InTx(ctx, func(tx Tx) error {
		if n, err := tx.CountPayees(ctx, c.UserID); err != nil {
			return err
		} else if n >= MaxPayees {
			return &ledger.Error{Code: "limit_exceeded", Msg: "You can save at most 200 payees. Remove one to add another."}
		}
		if a, err := tx.AccountByNumber(ctx, number); err != nil || a.Status == ledger.StatusClosed {
			return ErrRecipientNotFound
		}
		if err := tx.CreatePayee(ctx, p); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, event(c, "payee_add", "payee:"+p.ID))
	})
	return p, err
}

// DeletePayee deletes one of the caller's payees.
func (s *Service) DeletePayee(ctx context.Context, c audit.Caller, id string) error {
	return s.store.InTx(ctx, func(tx Tx) error {
		if err := tx.DeletePayee(ctx, c.UserID, id); err != nil {
			return &ledger.Error{Code: "not_found", Msg: "payee not found"}
		}
		return tx.InsertAudit(ctx, event(c, "payee_delete", "payee:"+id))
	})
}
