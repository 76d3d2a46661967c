package store

import (
	"context"
	"fmt"
)

// Savepoint starts a savepoint, so that part of a transaction can be undone
// (a failed occurrence of a scheduled transfer) while the rest commits.
func (tx *Tx) Savepoint(ctx context.Context, name string) error {
	if _, err := tx.tx.ExecContext(ctx, `SAVEPOINT `+name); err != nil {
		return fmt.Errorf("store: savepoint: %w", err)
	}
	return nil
}

// RollbackToSavepoint undoes everything since the savepoint.
func (tx *Tx) RollbackToSavepoint(ctx context.Context, name string) error {
	if _, err := tx.tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT `+name); err != nil {
		return fmt.Errorf("store: rollback to savepoint: %w", err)
	}
	return nil
}

// ReleaseSavepoint keeps what was done since the savepoint.
func (tx *Tx) ReleaseSavepoint(ctx context.Context, name string) error {
	if _, err := tx.tx.ExecContext(ctx, `RELEASE SAVEPOINT `+name); err != nil {
		return fmt.Errorf("store: release savepoint: %w", err)
	}
	return nil
}
