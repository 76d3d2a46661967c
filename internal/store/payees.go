package store

import (
	"context"
	"fmt"

	"github.com/bankapp/bankapp/internal/bank"
)

// ErrPayeeExists is returned for a second payee with the same number.
var ErrPayeeExists = errorCode("payee_exists", "a payee with this account number already exists")

// CreatePayee stores a payee.
func (tx *Tx) CreatePayee(ctx context.Context, p bank.Payee) error {
	res, err := tx.tx.ExecContext(ctx, `INSERT INTO payees (id, owner_id, name, account_number, created_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (owner_id, account_number) DO NOTHING`, p.ID, p.OwnerID, p.Name, p.AccountNumber, micros(p.CreatedAt))
	if err != nil {
		return fmt.Errorf("store: create payee: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrPayeeExists
	}
	return nil
}

// CountPayees counts the owner's payees.
func (tx *Tx) CountPayees(ctx context.Context, owner string) (int, error) {
	var n int
	if err := tx.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM payees WHERE owner_id = $1`, owner).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count payees: %w", err)
	}
	return n, nil
}

// Payees lists the owner's payees by name.
func (db *DB) Payees(ctx context.Context, owner string) ([]bank.Payee, error) {
	rows, err := db.w.QueryContext(ctx, `SELECT id, owner_id, name, account_number, created_at FROM payees WHERE owner_id = $1 ORDER BY name, id`, owner)
	if err != nil {
		return nil, fmt.Errorf("store: payees: %w", err)
	}
	defer rows.Close()
	var out []bank.Payee
	for rows.Next() {
		var p bank.Payee
		var at int64
		if err := rows.Scan(&p.ID, &p.OwnerID, &p.Name, &p.AccountNumber, &at); err != nil {
			return nil, fmt.Errorf("store: payees: %w", err)
		}
		p.CreatedAt = fromMicros(at)
		out = append(out, p)
	}
	return out, rows.Err()
}

// DeletePayee deletes the owner's payee; another user's is not_found.
func (tx *Tx) DeletePayee(ctx context.Context, owner, id string) error {
	return execOne(ctx, tx.tx, `DELETE FROM payees WHERE id = $1 AND owner_id = $2`, id, owner)
}
