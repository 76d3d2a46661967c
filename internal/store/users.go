package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bankapp/bankapp/internal/auth"
	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/ledger"
)

const userColumns = `id, email, password_hash, full_name, role, COALESCE(totp_secret, ''), COALESCE(totp_pending, ''),
	totp_enabled, totp_last_step, failed_logins, locked_until, created_at, updated_at, base_currency, email_verified`

func scanUser(row interface{ Scan(...any) error }) (auth.User, error) {
	var u auth.User
	var locked, created, updated int64
	var base string
	err := row.Scan(&u.ID, &u.Email, &u.PasswordHash, &u.FullName, &u.Role, &u.TOTPSecret, &u.TOTPPending,
		&u.TOTPEnabled, &u.TOTPLastStep, &u.FailedLogins, &locked, &created, &updated, &base, &u.EmailVerified)
	u.BaseCurrency = ledger.Currency(base)
	if locked > 0 {
		u.LockedUntil = fromMicros(locked)
	}
	u.CreatedAt, u.UpdatedAt = fromMicros(created), fromMicros(updated)
	return u, err
}

// ErrEmailTaken is returned when a user with the email already exists.
var ErrEmailTaken = &ledger.Error{Code: "email_taken", Msg: "An account with this email already exists. Sign in instead, or use another email.", Field: "email"}

// CreateUser inserts a user; the email must be unique (case-insensitively:
// callers store it lower-cased). A new user's email is not verified
// (email_verified's default; the insert names only the columns of the
// first migrations, which migration tests rely on).
func (tx *Tx) CreateUser(ctx context.Context, u auth.User) error {
	// base_currency starts at the column's default, USD (PATCH /me changes it).
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO users (id, email, password_hash, full_name, role, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6)`, u.ID, u.Email, u.PasswordHash, u.FullName, u.Role, micros(u.CreatedAt))
	if isUniqueViolation(err) {
		return ErrEmailTaken
	}
	if err != nil {
		return fmt.Errorf("store: create user: %w", err)
	}
	return nil
}

func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "SQLSTATE 23505") || strings.Contains(s, "UNIQUE constraint failed")
}

func notFound(what string) error {
	return &ledger.Error{Code: "not_found", Msg: what + " not found"}
}

// UserByEmail finds a user by (lower-cased) email.
func (db *DB) UserByEmail(ctx context.Context, email string) (auth.User, error) {
	return userWhere(ctx, db.w, `email = $1`, email)
}

// UserByID finds a user by id.
func (db *DB) UserByID(ctx context.Context, id string) (_ auth.User, err error) {
	ctx, end := db.span(ctx, "store.UserByID")
	defer func() { end(err) }()
	u, err := scanUser(db.queryRow(ctx, db.fresh(), `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, notFound("user")
	}
	if err != nil {
		return u, fmt.Errorf("store: user: %w", err)
	}
	return u, nil
}

// UserByEmail finds a user by (lower-cased) email inside a transaction.
func (tx *Tx) UserByEmail(ctx context.Context, email string) (auth.User, error) {
	return userWhere(ctx, tx.tx, `email = $1`, email)
}

// UserByID finds a user by id inside a transaction.
func (tx *Tx) UserByID(ctx context.Context, id string) (auth.User, error) {
	return userWhere(ctx, tx.tx, `id = $1`, id)
}

// UserByIDForUpdate finds and locks a user (PostgreSQL) inside a transaction.
func (tx *Tx) UserByIDForUpdate(ctx context.Context, id string) (auth.User, error) {
	return userWhere(ctx, tx.tx, `id = $1`+tx.dialect.forUpdate(), id)
}

func userWhere(ctx context.Context, q querier, where string, args ...any) (auth.User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return u, notFound("user")
	}
	if err != nil {
		return u, fmt.Errorf("store: user: %w", err)
	}
	return u, nil
}

// UpdateUser writes the mutable fields of a user.
func (tx *Tx) UpdateUser(ctx context.Context, u auth.User) error {
	var locked int64
	if !u.LockedUntil.IsZero() {
		locked = micros(u.LockedUntil)
	}
	base := u.BaseCurrency
	if base == "" {
		base = ledger.USD
	}
	_, err := tx.tx.ExecContext(ctx, `UPDATE users SET password_hash = $2, full_name = $3, role = $4, totp_secret = $5, totp_pending = $6,
		totp_enabled = $7, totp_last_step = $8, failed_logins = $9, locked_until = $10, updated_at = $11, base_currency = $12,
		email_verified = $13 WHERE id = $1`,
		u.ID, u.PasswordHash, u.FullName, u.Role, nullable(u.TOTPSecret), nullable(u.TOTPPending), u.TOTPEnabled,
		u.TOTPLastStep, u.FailedLogins, locked, micros(tx.Now()), string(base), u.EmailVerified)
	if err != nil {
		return fmt.Errorf("store: update user: %w", err)
	}
	return nil
}

// RecordLoginFailure counts a failed login and locks the user until lockUntil
// when the count reaches max. It returns the new count. The update is one
// statement, so concurrent failures on several instances all count.
func (db *DB) RecordLoginFailure(ctx context.Context, id string, max int, lockUntil time.Time) (int, error) {
	var n int
	err := db.w.QueryRowContext(ctx, `UPDATE users SET failed_logins = failed_logins + 1,
		locked_until = CASE WHEN failed_logins + 1 >= $2 THEN $3 ELSE locked_until END
		WHERE id = $1 RETURNING failed_logins`, id, max, micros(lockUntil)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: record login failure: %w", err)
	}
	return n, nil
}

// ResetLoginFailures clears the failure count after a successful login.
func (db *DB) ResetLoginFailures(ctx context.Context, id string) error {
	_, err := db.w.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = $1 AND (failed_logins <> 0 OR locked_until <> 0)`, id)
	if err != nil {
		return fmt.Errorf("store: reset login failures: %w", err)
	}
	return nil
}

// AdminUsers lists users newest first, optionally matching q against email
// and name, starting after the user id cursor.
func (db *DB) AdminUsers(ctx context.Context, q, cursor string, limit int) ([]bank.UserWithCount, error) {
	args := []any{}
	where := []string{"1 = 1"}
	if q != "" {
		args = append(args, "%"+likeEscape(strings.ToLower(q))+"%")
		where = append(where, fmt.Sprintf(`(lower(u.email) LIKE $%d ESCAPE '\' OR lower(u.full_name) LIKE $%d ESCAPE '\')`, len(args), len(args)))
	}
	if cursor != "" {
		args = append(args, cursor)
		where = append(where, fmt.Sprintf("u.id < $%d", len(args)))
	}
	args = append(args, limit)
	cols := strings.ReplaceAll(userColumns, "id,", "u.id,")
	// #nosec G202 -- only constant column lists and $n placeholders are joined; values are bound parameters
	rows, err := db.reader(ctx).QueryContext(ctx, `SELECT `+cols+`, (SELECT COUNT(*) FROM accounts a WHERE a.owner_id = u.id)
		FROM users u WHERE `+strings.Join(where, " AND ")+fmt.Sprintf(` ORDER BY u.id DESC LIMIT $%d`, len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("store: admin users: %w", err)
	}
	defer rows.Close()
	var out []bank.UserWithCount
	for rows.Next() {
		var u bank.UserWithCount
		var locked, created, updated int64
		var base string
		err := rows.Scan(&u.User.ID, &u.User.Email, &u.User.PasswordHash, &u.User.FullName, &u.User.Role, &u.User.TOTPSecret, &u.User.TOTPPending,
			&u.User.TOTPEnabled, &u.User.TOTPLastStep, &u.User.FailedLogins, &locked, &created, &updated, &base, &u.User.EmailVerified, &u.AccountCount)
		u.User.BaseCurrency = ledger.Currency(base)
		if err != nil {
			return nil, fmt.Errorf("store: admin users: %w", err)
		}
		u.User.CreatedAt, u.User.UpdatedAt = fromMicros(created), fromMicros(updated)
		out = append(out, u)
	}
	return out, rows.Err()
}

// likeEscape escapes LIKE's wildcards with a backslash.
func likeEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

func errorCode(code, msg string) error { return &ledger.Error{Code: code, Msg: msg} }
