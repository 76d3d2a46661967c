package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/bankapp/bankapp/internal/ledger"
)

// CreateAccount inserts a customer account with a zero balance.
func (tx *Tx) CreateAccount(ctx context.Context, a ledger.Account) error {
	// ON CONFLICT keeps a number collision from aborting a PostgreSQL
	// transaction, so the caller can draw another number and retry.
	res, err := tx.tx.ExecContext(ctx, `INSERT INTO accounts (id, owner_id, number, type, currency, name, balance, status, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8) ON CONFLICT (number) DO NOTHING`,
		a.ID, a.OwnerID, a.Number, a.Type, string(a.Currency), a.Name, a.Status, micros(a.CreatedAt))
	if err != nil {
		return fmt.Errorf("store: create account: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ledger.ErrNumberTaken
	}
	return nil
}

// AccountsByOwner lists a user's accounts, oldest first.
func (db *DB) AccountsByOwner(ctx context.Context, owner string) (_ []ledger.Account, err error) {
	ctx, end := db.span(ctx, "store.AccountsByOwner")
	defer func() { end(err) }()
	return accountsWhere(ctx, db.fresh(), `owner_id = $1 ORDER BY created_at, id`, owner)
}

// AccountsByOwner lists a user's accounts inside a transaction.
func (tx *Tx) AccountsByOwner(ctx context.Context, owner string) ([]ledger.Account, error) {
	return accountsWhere(ctx, tx.tx, `owner_id = $1 ORDER BY created_at, id`, owner)
}

// AccountByID returns the owner's account; another user's account is
// not_found, exactly like a missing one.
func (db *DB) AccountByID(ctx context.Context, owner, id string) (ledger.Account, error) {
	return oneAccount(ctx, db.fresh(), `id = $1 AND owner_id = $2`, id, owner)
}

// AccountByIDForUpdate returns and locks the owner's account.
func (tx *Tx) AccountByIDForUpdate(ctx context.Context, owner, id string) (ledger.Account, error) {
	return oneAccount(ctx, tx.tx, `id = $1 AND owner_id = $2`+tx.dialect.forUpdate(), id, owner)
}

// AnyAccountByID returns an account whoever owns it (admin, jobs).
func (db *DB) AnyAccountByID(ctx context.Context, id string) (ledger.Account, error) {
	return oneAccount(ctx, db.w, `id = $1`, id)
}

// AccountByNumber returns the customer account with the number, whoever owns it.
func (tx *Tx) AccountByNumber(ctx context.Context, number string) (ledger.Account, error) {
	return oneAccount(ctx, tx.tx, `number = $1 AND type <> 'system'`, number)
}

// AccountByNumber returns the customer account with the number, whoever owns it.
func (db *DB) AccountByNumber(ctx context.Context, number string) (ledger.Account, error) {
	return oneAccount(ctx, db.w, `number = $1 AND type <> 'system'`, number)
}

// SetAccountName renames the owner's account.
func (tx *Tx) SetAccountName(ctx context.Context, owner, id, name string) error {
	return execOne(ctx, tx.tx, `UPDATE accounts SET name = $3 WHERE id = $1 AND owner_id = $2`, id, owner, name)
}

// SetAccountStatus changes an account's status.
func (tx *Tx) SetAccountStatus(ctx context.Context, id, status string) error {
	return execOne(ctx, tx.tx, `UPDATE accounts SET status = $2 WHERE id = $1 AND type <> 'system'`, id, status)
}

// CountOpenAccounts counts the owner's accounts that are not closed.
func (tx *Tx) CountOpenAccounts(ctx context.Context, owner string) (int, error) {
	var n int
	err := tx.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM accounts WHERE owner_id = $1 AND status <> 'closed'`, owner).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count accounts: %w", err)
	}
	return n, nil
}

// TotalBalance sums every account's balance in a currency, system accounts
// included; the ledger keeps it at zero.
func (db *DB) TotalBalance(ctx context.Context, c ledger.Currency, customersOnly bool) (int64, error) {
	q := `SELECT COALESCE(SUM(balance), 0) FROM accounts WHERE currency = $1`
	if customersOnly {
		q += ` AND type <> 'system'`
	}
	var n int64
	if err := db.w.QueryRowContext(ctx, q, string(c)).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: total balance: %w", err)
	}
	return n, nil
}

func oneAccount(ctx context.Context, q querier, where string, args ...any) (ledger.Account, error) {
	a, err := scanAccount(q.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return a, notFound("account")
	}
	if err != nil {
		return a, fmt.Errorf("store: account: %w", err)
	}
	return a, nil
}

func accountsWhere(ctx context.Context, q querier, where string, args ...any) ([]ledger.Account, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("store: accounts: %w", err)
	}
	defer rows.Close()
	var out []ledger.Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, fmt.Errorf("store: accounts: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func execOne(ctx context.Context, q querier, query string, args ...any) error {
	res, err := q.ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("resource")
	}
	return nil
}

// AnyAccountByIDForUpdate returns and locks a customer account whoever owns it.
func (tx *Tx) AnyAccountByIDForUpdate(ctx context.Context, id string) (ledger.Account, error) {
	return oneAccount(ctx, tx.tx, `id = $1 AND type <> 'system'`+tx.dialect.forUpdate(), id)
}

// AccountByID returns the owner's account inside a transaction.
func (tx *Tx) AccountByID(ctx context.Context, owner, id string) (ledger.Account, error) {
	return oneAccount(ctx, tx.tx, `id = $1 AND owner_id = $2`, id, owner)
}

// LockUser serialises one user's money movements (PostgreSQL), so that daily
// limits hold under concurrency. It is always taken before account locks.
func (tx *Tx) LockUser(ctx context.Context, id string) error {
	if tx.dialect != Postgres {
		return nil
	}
	var got string
	if err := tx.tx.QueryRowContext(ctx, `SELECT id FROM users WHERE id = $1 FOR UPDATE`, id).Scan(&got); err != nil {
		return fmt.Errorf("store: lock user: %w", err)
	}
	return nil
}

// CustomerAccountsAfter pages every customer account by id (jobs that visit
// all accounts: interest, statements).
func (tx *Tx) CustomerAccountsAfter(ctx context.Context, after string, limit int) ([]ledger.Account, error) {
	return accountsWhere(ctx, tx.tx, `type <> 'system' AND id > $1 ORDER BY id LIMIT $2`, after, limit)
}

// CustomerAccount reads a customer account whoever owns it, without locking
// it (jobs that only read, such as statements).
func (tx *Tx) CustomerAccount(ctx context.Context, id string) (ledger.Account, error) {
	return oneAccount(ctx, tx.tx, `id = $1 AND type <> 'system'`, id)
}
