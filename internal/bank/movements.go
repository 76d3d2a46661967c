package bank

import (
	"context"
	"errors"

	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/ledger"
)

// Idem is a money request's idempotency key and fingerprint.
type Idem = ledger.Idem

// ErrUnavailable is returned when a request ends before its transfer was
// taken into a batch: nothing was applied, the client may retry.
var ErrUnavailable = &ledger.Error{Code: "unavailable", Msg: "the request was cancelled before it was applied; retry with the same Idempotency-Key"}

// Deposit simulates external funding into one of the caller's accounts,
// once per idempotency key, within the deposit limits.
func (s *Service) Deposit(ctx context.Context, c audit.Caller, idem Idem, m Movement) (Receipt, error) {
	return s.movement(ctx, c, idem, m, ledger.KindDeposit, Deposit)
}

// Withdraw sends money out of the bank from one of the caller's accounts,
// once per idempotency key.
func (s *Service) Withdraw(ctx context.Context, c audit.Caller, idem Idem, m Movement) (Receipt, error) {
	return s.movement(ctx, c, idem, m, ledger.KindWithdrawal, Withdraw)
}

// movement runs a deposit or withdrawal with its idempotency record and
// audit event in one transaction.
func (s *Service) movement(ctx context.Context, c audit.Caller, idem Idem, m Movement, kind string,
	do func(context.Context, Tx, Movement) (ledger.Transfer, error)) (Receipt, error) {
	m.UserID, m.Now = c.UserID, s.now()
	var fresh *Receipt
	res, err := ledger.Idempotent(ctx, s.keys, s.store.InTx, c.UserID, idem.Key, idem.Hash, func(tx Tx) (ledger.Response, error) {
		t, err := do(ctx, tx, m)
		if err != nil {
			return ledger.Response{}, err
		}
		var to ledger.Account
		if t.ToAccount != "" {
			if to, err = tx.AccountByID(ctx, c.UserID, t.ToAccount); err != nil {
				return ledger.Response{}, err
			}
		}
		if err := tx.InsertAudit(ctx, moneyEvent(c, kind, t)); err != nil {
			return ledger.Response{}, err
		}
		rc := receiptOf(t, to, c.UserID)
		fresh = &rc
		return rc.stored()
	})
	if err != nil {
		return Receipt{}, err
	}
	if fresh != nil && !res.Replayed {
		return *fresh, nil
	}
	return receiptFrom(res), nil
}

// moneyEvent is the audit event of a money movement.
func moneyEvent(c audit.Caller, kind string, t ledger.Transfer) audit.Event {
	return event(c, kind, "transfer:"+t.ID).WithDetail(ledger.FormatMinor(t.Amount, t.Currency.Digits()) + " " + string(t.Currency))
}

// Transfer moves money from one of the caller's accounts to any open
// customer account by number, once per idempotency key. With group commit
// on, concurrent transfers of this instance share one transaction.
func (s *Service) Transfer(ctx context.Context, c audit.Caller, idem Idem, m Movement) (Receipt, error) {
	if !s.keys.Enter(c.UserID, idem.Key) {
		return Receipt{}, ledger.ErrKeyInProgress
	}
	defer s.keys.Leave(c.UserID, idem.Key)
	m.UserID, m.Now = c.UserID, s.now()
	j := &transferJob{ctx: ctx, caller: c, idem: idem, m: m}
	var res ledger.Response
	var err error
	if s.commit != nil {
		res, err = s.commit.submit(j)
	} else {
		res, err = s.transferAlone(j)
	}
	if err != nil {
		return Receipt{}, err
	}
	if j.rc != nil && !res.Replayed {
		return *j.rc, nil
	}
	return receiptFrom(res), nil
}

// transferAlone runs one transfer in its own transaction; the caller holds
// the key in s.keys.
func (s *Service) transferAlone(j *transferJob) (ledger.Response, error) {
	return ledger.RunIdempotent(j.ctx, s.store.InTx, j.caller.UserID, j.idem.Key, j.idem.Hash, func(tx Tx) (ledger.Response, error) {
		t, to, err := Transfer(j.ctx, tx, j.m)
		if err != nil {
			return ledger.Response{}, err
		}
		if err := tx.InsertAudit(j.ctx, moneyEvent(j.caller, ledger.KindTransfer, t)); err != nil {
			return ledger.Response{}, err
		}
		rc := receiptOf(t, to, j.caller.UserID)
		j.rc = &rc
		return rc.stored()
	})
}

// Transfers pages the transfers where the user owns either side.
func (s *Service) Transfers(ctx context.Context, userID, cursor string, limit int) ([]TransferView, error) {
	return s.store.TransfersOfUser(ctx, userID, cursor, limit)
}

// TransferOf is one of the user's transfers (either side); another's is not_found.
func (s *Service) TransferOf(ctx context.Context, userID, id string) (TransferView, error) {
	return s.store.TransferOfUser(ctx, userID, id)
}

// isDomain reports whether err is an answer for the client (a coded
// error) rather than a failure of the database.
func isDomain(err error) bool {
	var c interface{ ErrorCode() string }
	return errors.As(err, &c)
}
