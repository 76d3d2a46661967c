package store

import (
	"context"
	"fmt"
	"time"

	"github.com/bankapp/bankapp/internal/auth"
)

// LoginAttemptsForUpdate returns and locks the sign-in failure count of
// email (a zero count when there is none yet).
func (tx *Tx) LoginAttemptsForUpdate(ctx context.Context, email string) (auth.Attempts, error) {
	// Make sure the row exists, so that the lock below has something to
	// lock when two first attempts arrive together.
	if _, err := tx.tx.ExecContext(ctx, `INSERT INTO login_attempts (email, failures, locked_until, updated_at)
		VALUES ($1, 0, 0, $2) ON CONFLICT (email) DO NOTHING`, email, micros(tx.Now())); err != nil {
		return auth.Attempts{}, fmt.Errorf("store: login attempts: %w", err)
	}
	var a auth.Attempts
	var until int64
	err := tx.tx.QueryRowContext(ctx, `SELECT failures, locked_until FROM login_attempts WHERE email = $1`+tx.dialect.forUpdate(), email).
		Scan(&a.Failures, &until)
	if err != nil {
		return a, fmt.Errorf("store: login attempts: %w", err)
	}
	if until > 0 {
		a.LockedUntil = fromMicros(until)
	}
	return a, nil
}

// PutLoginAttempts stores the failure count of email (locked by
// LoginAttemptsForUpdate in this transaction).
func (tx *Tx) PutLoginAttempts(ctx context.Context, email string, a auth.Attempts, now time.Time) error {
	var until int64
	if !a.LockedUntil.IsZero() {
		until = micros(a.LockedUntil)
	}
	_, err := tx.tx.ExecContext(ctx, `UPDATE login_attempts SET failures = $2, locked_until = $3, updated_at = $4 WHERE email = $1`,
		email, a.Failures, until, micros(now))
	if err != nil {
		return fmt.Errorf("store: login attempts: %w", err)
	}
	return nil
}

// ClearLoginAttempts forgets the failures of email (a successful sign-in, a
// password reset).
func (tx *Tx) ClearLoginAttempts(ctx context.Context, email string) error {
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM login_attempts WHERE email = $1`, email); err != nil {
		return fmt.Errorf("store: login attempts: %w", err)
	}
	return nil
}

// DeleteStaleLoginAttempts deletes counts untouched since before and not
// locked now (the daily cleanup), at most limit rows.
func (tx *Tx) DeleteStaleLoginAttempts(ctx context.Context, before, now time.Time, limit int) (int64, error) {
	res, err := tx.tx.ExecContext(ctx, `DELETE FROM login_attempts WHERE email IN (
		SELECT email FROM login_attempts WHERE updated_at < $1 AND locked_until < $2 LIMIT $3)`, micros(before), micros(now), limit)
	if err != nil {
		return 0, fmt.Errorf("store: delete login attempts: %w", err)
	}
	return res.RowsAffected()
}
