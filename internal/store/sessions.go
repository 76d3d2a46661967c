package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/bankapp/bankapp/internal/auth"
)

const sessionColumns = `id, user_id, created_at, last_used_at, expires_at, revoked_at, user_agent, ip`

func scanSession(row interface{ Scan(...any) error }) (auth.Session, error) {
	var s auth.Session
	var created, used, expires, revoked int64
	err := row.Scan(&s.ID, &s.UserID, &created, &used, &expires, &revoked, &s.UserAgent, &s.IP)
	s.CreatedAt, s.LastUsedAt, s.ExpiresAt = fromMicros(created), fromMicros(used), fromMicros(expires)
	if revoked > 0 {
		s.RevokedAt = fromMicros(revoked)
	}
	return s, err
}

// CreateSession stores a new session and its first refresh token hash.
func (tx *Tx) CreateSession(ctx context.Context, s auth.Session, refreshHash string) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO sessions (id, user_id, created_at, last_used_at, expires_at, user_agent, ip)
		VALUES ($1, $2, $3, $3, $4, $5, $6)`, s.ID, s.UserID, micros(s.CreatedAt), micros(s.ExpiresAt), s.UserAgent, s.IP)
	if err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	return tx.addRefreshToken(ctx, s.ID, refreshHash, s.CreatedAt)
}

func (tx *Tx) addRefreshToken(ctx context.Context, sessionID, hash string, at time.Time) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO refresh_tokens (hash, session_id, created_at) VALUES ($1, $2, $3)`, hash, sessionID, micros(at))
	if err != nil {
		return fmt.Errorf("store: add refresh token: %w", err)
	}
	return nil
}

// RotateRefreshToken spends the token with hash old and issues newHash in the
// same session. A token presented a second time revokes the whole session;
// a session unused for idle (or past its end) is over.
func (tx *Tx) RotateRefreshToken(ctx context.Context, old, newHash string, now time.Time, idle time.Duration) (auth.Session, auth.RefreshOutcome, error) {
	var sessionID string
	var spent int64
	err := tx.tx.QueryRowContext(ctx, `SELECT session_id, spent_at FROM refresh_tokens WHERE hash = $1`+tx.dialect.forUpdate(), old).Scan(&sessionID, &spent)
	if errors.Is(err, sql.ErrNoRows) {
		return auth.Session{}, auth.RefreshUnknown, nil
	}
	if err != nil {
		return auth.Session{}, auth.RefreshUnknown, fmt.Errorf("store: refresh token: %w", err)
	}
	s, err := scanSession(tx.tx.QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE id = $1`, sessionID))
	if err != nil {
		return s, auth.RefreshUnknown, fmt.Errorf("store: refresh session: %w", err)
	}
	if !s.Active(now) || !now.Before(s.LastUsedAt.Add(idle)) {
		return s, auth.RefreshUnknown, nil
	}
	if spent != 0 {
		if err := tx.RevokeSession(ctx, s.UserID, s.ID, now); err != nil {
			return s, auth.RefreshUnknown, err
		}
		return s, auth.RefreshReused, nil
	}
	if _, err := tx.tx.ExecContext(ctx, `UPDATE refresh_tokens SET spent_at = $2 WHERE hash = $1`, old, micros(now)); err != nil {
		return s, auth.RefreshUnknown, fmt.Errorf("store: spend refresh token: %w", err)
	}
	if _, err := tx.tx.ExecContext(ctx, `UPDATE sessions SET last_used_at = $2 WHERE id = $1`, s.ID, micros(now)); err != nil {
		return s, auth.RefreshUnknown, fmt.Errorf("store: touch session: %w", err)
	}
	s.LastUsedAt = now
	return s, auth.RefreshRotated, tx.addRefreshToken(ctx, s.ID, newHash, now)
}

// RevokeSession ends the user's session; a missing or foreign one is not_found.
func (tx *Tx) RevokeSession(ctx context.Context, userID, id string, now time.Time) error {
	return execOne(ctx, tx.tx, `UPDATE sessions SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at = 0`, id, userID, micros(now))
}

// RevokeOtherSessions ends every session of the user except keep.
func (tx *Tx) RevokeOtherSessions(ctx context.Context, userID, keep string, now time.Time) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE sessions SET revoked_at = $3 WHERE user_id = $1 AND id <> $2 AND revoked_at = 0`, userID, keep, micros(now))
	if err != nil {
		return fmt.Errorf("store: revoke sessions: %w", err)
	}
	return nil
}

// SessionByID returns a session (any state) by id.
func (db *DB) SessionByID(ctx context.Context, id string) (auth.Session, error) {
	s, err := scanSession(db.w.QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return s, notFound("session")
	}
	if err != nil {
		return s, fmt.Errorf("store: session: %w", err)
	}
	return s, nil
}

// ActiveSessions lists the user's sessions that are neither revoked nor
// expired, newest first.
func (db *DB) ActiveSessions(ctx context.Context, userID string, now time.Time, idle time.Duration) ([]auth.Session, error) {
	rows, err := db.w.QueryContext(ctx, `SELECT `+sessionColumns+` FROM sessions
		WHERE user_id = $1 AND revoked_at = 0 AND expires_at > $2 AND last_used_at > $3
		ORDER BY created_at DESC, id DESC LIMIT 200`, userID, micros(now), micros(now.Add(-idle)))
	if err != nil {
		return nil, fmt.Errorf("store: sessions: %w", err)
	}
	defer rows.Close()
	var out []auth.Session
	for rows.Next() {
		s, err := scanSession(rows)
		if err != nil {
			return nil, fmt.Errorf("store: sessions: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// SessionPrincipal reads a session and its user's role in one query (the
// per-request check behind every access token).
func (db *DB) SessionPrincipal(ctx context.Context, id string) (_ auth.SessionPrincipal, err error) {
	ctx, end := db.span(ctx, "store.SessionPrincipal")
	defer func() { end(err) }()
	var sp auth.SessionPrincipal
	var expires, revoked int64
	err = db.queryRow(ctx, db.fresh(), `SELECT s.user_id, s.expires_at, s.revoked_at, u.role
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1`, id).Scan(&sp.Session.UserID, &expires, &revoked, &sp.Role)
	if errors.Is(err, sql.ErrNoRows) {
		return sp, notFound("session")
	}
	if err != nil {
		return sp, fmt.Errorf("store: session principal: %w", err)
	}
	sp.Session.ID = id
	sp.Session.ExpiresAt = fromMicros(expires)
	if revoked > 0 {
		sp.Session.RevokedAt = fromMicros(revoked)
	}
	return sp, nil
}

// SessionByRefreshHash finds the live session that issued a refresh token.
func (db *DB) SessionByRefreshHash(ctx context.Context, hash string) (auth.Session, error) {
	s, err := scanSession(db.w.QueryRowContext(ctx, `SELECT s.id, s.user_id, s.created_at, s.last_used_at, s.expires_at, s.revoked_at, s.user_agent, s.ip
		FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id WHERE t.hash = $1 AND s.revoked_at = 0`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return s, notFound("session")
	}
	if err != nil {
		return s, fmt.Errorf("store: session by refresh: %w", err)
	}
	return s, nil
}
