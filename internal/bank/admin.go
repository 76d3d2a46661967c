package bank

import (
	"context"

	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/auth"
	"github.com/bankapp/bankapp/internal/ledger"
)

// The operator's use cases (role admin; the HTTP layer checks the role).
// Every read is audited too.

// logAlone writes an audit event that has no other change to commit with;
// a failure to write it is logged, not returned.
func (s *Service) logAlone(ctx context.Context, e audit.Event) {
	if err := s.store.InsertAudit(ctx, e); err != nil {
		s.log.ErrorContext(ctx, "audit write failed", "action", e.Action, "err", err)
	}
}

// AdminUsers pages the users whose email or name matches q, with their
// account counts.
func (s *Service) AdminUsers(ctx context.Context, c audit.Caller, q, cursor string, limit int) ([]UserWithCount, error) {
	list, err := s.store.AdminUsers(ctx, q, cursor, limit)
	if err != nil {
		return nil, err
	}
	s.logAlone(ctx, event(c, "admin_read", "users"))
	return list, nil
}

// AdminUser is one user and every account they hold, closed ones
// included, so an operator can freeze or unfreeze from the user's page
// (GET /admin/users/{id}, contract v1.1). An unknown id is not_found.
// Audited as admin_read of user:<id>.
func (s *Service) AdminUser(ctx context.Context, c audit.Caller, id string) (auth.User, []ledger.Account, error) {
	u, err := s.store.UserByID(ctx, id)
	if err != nil {
		return auth.User{}, nil, err
	}
	accts, err := s.store.AccountsByOwner(ctx, u.ID)
	if err != nil {
		return auth.User{}, nil, err
	}
	s.logAlone(ctx, event(c, "admin_read", "user:"+u.ID))
	return u, accts, nil
}

// AuditLog pages the audit log.
func (s *Service) AuditLog(ctx context.Context, c audit.Caller, f audit.Filter) ([]audit.Event, error) {
	evs, err := s.store.AuditEvents(ctx, f)
	if err != nil {
		return nil, err
	}
	s.logAlone(ctx, event(c, "admin_read", "audit"))
	return evs, nil
}

// SetAccountStatus freezes (StatusFrozen) or unfreezes (StatusActive) any
// customer's account; a closed account stays closed.
func (s *Service) SetAccountStatus(ctx context.Context, c audit.Caller, id, status string) (ledger.Account, error) {
	var a ledger.Account
	err := s.store.InTx(ctx, func(tx Tx) error {
		cur, err := tx.AnyAccountByIDForUpdate(ctx, id)
		if err != nil {
			return err
		}
		if cur.Status == ledger.StatusClosed {
			return ErrAlreadyClosed
		}
		if err := tx.SetAccountStatus(ctx, id, status); err != nil {
			return err
		}
		cur.Status, a = status, cur
		action := "account_freeze"
		if status == ledger.StatusActive {
			action = "account_unfreeze"
		}
		a.Status = status
		return tx.InsertAudit(ctx, event(c, action, "account:"+id))
	})
	return a, err
}

// VerifyLedger runs `ledger verify` (docs/architecture.md, "the ledger")
// and audits who ran it and what it found.
func (s *Service) VerifyLedger(ctx context.Context, c audit.Caller) (ledger.Report, error) {
	rep, err := s.store.VerifyLedger(ctx)
	if err != nil {
		return rep, err
	}
	e := c.Event("ledger_verify", "ledger", "success")
	if !rep.OK {
		e.Outcome = "failure:problems_found"
	}
	s.logAlone(ctx, e)
	return rep, nil
}
