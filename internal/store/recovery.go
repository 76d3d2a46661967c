package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bankapp/bankapp/internal/auth"
	"github.com/bankapp/bankapp/internal/mail"
)

// Account recovery and email (auth's recovery.go, codes.go, device.go).

// CreateAuthToken stores an emailed token (its hash only).
func (tx *Tx) CreateAuthToken(ctx context.Context, t auth.Token) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO auth_tokens (id, user_id, purpose, hash, email, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, t.ID, t.UserID, t.Purpose, t.Hash, t.Email, micros(t.CreatedAt), micros(t.ExpiresAt))
	if err != nil {
		return fmt.Errorf("store: create token: %w", err)
	}
	return nil
}

// AuthTokenForUpdate finds and locks the token with hash and purpose.
func (tx *Tx) AuthTokenForUpdate(ctx context.Context, hash, purpose string) (auth.Token, error) {
	var t auth.Token
	var created, expires, used int64
	err := tx.tx.QueryRowContext(ctx, `SELECT id, user_id, purpose, hash, email, created_at, expires_at, used_at
		FROM auth_tokens WHERE hash = $1 AND purpose = $2`+tx.dialect.forUpdate(), hash, purpose).
		Scan(&t.ID, &t.UserID, &t.Purpose, &t.Hash, &t.Email, &created, &expires, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return t, notFound("token")
	}
	if err != nil {
		return t, fmt.Errorf("store: token: %w", err)
	}
	t.CreatedAt, t.ExpiresAt = fromMicros(created), fromMicros(expires)
	if used > 0 {
		t.UsedAt = fromMicros(used)
	}
	return t, nil
}

// UseAuthToken marks an unused token used; a used one is not_found.
func (tx *Tx) UseAuthToken(ctx context.Context, id string, now time.Time) error {
	return execOne(ctx, tx.tx, `UPDATE auth_tokens SET used_at = $2 WHERE id = $1 AND used_at = 0`, id, micros(now))
}

// SpendAuthTokens marks every unused token of the user and purpose used.
func (tx *Tx) SpendAuthTokens(ctx context.Context, userID, purpose string, now time.Time) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE auth_tokens SET used_at = $3 WHERE user_id = $1 AND purpose = $2 AND used_at = 0`,
		userID, purpose, micros(now))
	if err != nil {
		return fmt.Errorf("store: spend tokens: %w", err)
	}
	return nil
}

// DeleteExpiredAuthTokens deletes up to limit tokens that expired before
// before (the daily cleanup).
func (tx *Tx) DeleteExpiredAuthTokens(ctx context.Context, before time.Time, limit int) (int64, error) {
	res, err := tx.tx.ExecContext(ctx, `DELETE FROM auth_tokens WHERE id IN (
		SELECT id FROM auth_tokens WHERE expires_at < $1 LIMIT $2)`, micros(before), limit)
	if err != nil {
		return 0, fmt.Errorf("store: delete tokens: %w", err)
	}
	return res.RowsAffected()
}

// ReplaceRecoveryCodes deletes the user's recovery codes and stores the
// hashes of new ones.
func (tx *Tx) ReplaceRecoveryCodes(ctx context.Context, userID string, hashes []string, now time.Time) error {
	if err := tx.DeleteRecoveryCodes(ctx, userID); err != nil {
		return err
	}
	var b strings.Builder
	args := []any{userID, micros(now)}
	for i, h := range hashes {
		if i > 0 {
			b.WriteString(", ")
		}
		args = append(args, h)
		fmt.Fprintf(&b, "($1, $%d, $2)", len(args))
	}
	// #nosec G202 -- only $n placeholders are joined; the hashes are bound parameters
	if _, err := tx.tx.ExecContext(ctx, `INSERT INTO recovery_codes (user_id, hash, created_at) VALUES `+b.String(), args...); err != nil {
		return fmt.Errorf("store: recovery codes: %w", err)
	}
	return nil
}

// DeleteRecoveryCodes deletes every recovery code of the user.
func (tx *Tx) DeleteRecoveryCodes(ctx context.Context, userID string) error {
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("store: recovery codes: %w", err)
	}
	return nil
}

// SpendRecoveryCode marks the user's unused code with hash used, in one
// statement (two sign-ins with the same code: one wins), and reports
// whether there was one.
func (tx *Tx) SpendRecoveryCode(ctx context.Context, userID, hash string, now time.Time) (bool, error) {
	res, err := tx.tx.ExecContext(ctx, `UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND hash = $2 AND used_at = 0`,
		userID, hash, micros(now))
	if err != nil {
		return false, fmt.Errorf("store: spend recovery code: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// SeeDevice records a sign-in of the user from the device with hash: a
// device on record gets its last_seen_at moved, a new one is inserted
// (DeviceNew, or DeviceFirst when the user had no device on record).
// Two first sign-ins from one device at once insert it once: the one whose
// insert did nothing sees it as known.
func (tx *Tx) SeeDevice(ctx context.Context, userID, hash, kind string, now time.Time) (auth.DeviceSeen, error) {
	res, err := tx.tx.ExecContext(ctx, `UPDATE known_devices SET last_seen_at = $3 WHERE user_id = $1 AND device_hash = $2`,
		userID, hash, micros(now))
	if err != nil {
		return 0, fmt.Errorf("store: device: %w", err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return auth.DeviceKnown, nil
	}
	var others int
	if err := tx.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM known_devices WHERE user_id = $1`, userID).Scan(&others); err != nil {
		return 0, fmt.Errorf("store: devices: %w", err)
	}
	res, err = tx.tx.ExecContext(ctx, `INSERT INTO known_devices (user_id, device_hash, kind, first_seen_at, last_seen_at)
		VALUES ($1, $2, $3, $4, $4) ON CONFLICT (user_id, device_hash) DO NOTHING`, userID, hash, kind, micros(now))
	if err != nil {
		return 0, fmt.Errorf("store: device: %w", err)
	}
	switch n, _ := res.RowsAffected(); {
	case n == 0:
		return auth.DeviceKnown, nil
	case others == 0:
		return auth.DeviceFirst, nil
	}
	return auth.DeviceNew, nil
}

// DeleteStaleDevices forgets devices not seen since before (the daily
// cleanup), at most limit.
func (tx *Tx) DeleteStaleDevices(ctx context.Context, before time.Time, limit int) (int64, error) {
	res, err := tx.tx.ExecContext(ctx, `DELETE FROM known_devices WHERE (user_id, device_hash) IN (
		SELECT user_id, device_hash FROM known_devices WHERE last_seen_at < $1 LIMIT $2)`, micros(before), limit)
	if err != nil {
		return 0, fmt.Errorf("store: delete devices: %w", err)
	}
	return res.RowsAffected()
}

// RateHitsForUpdate returns and locks the hits of a limit's bucket, oldest
// first (none when the bucket is new).
func (tx *Tx) RateHitsForUpdate(ctx context.Context, bucket string) ([]time.Time, error) {
	// Make sure the row exists, so the lock has something to lock when two
	// first hits arrive together.
	if _, err := tx.tx.ExecContext(ctx, `INSERT INTO rate_limits (bucket, hits, updated_at) VALUES ($1, '', $2)
		ON CONFLICT (bucket) DO NOTHING`, bucket, micros(tx.Now())); err != nil {
		return nil, fmt.Errorf("store: rate limit: %w", err)
	}
	var s string
	if err := tx.tx.QueryRowContext(ctx, `SELECT hits FROM rate_limits WHERE bucket = $1`+tx.dialect.forUpdate(), bucket).Scan(&s); err != nil {
		return nil, fmt.Errorf("store: rate limit: %w", err)
	}
	var hits []time.Time
	for _, f := range strings.Fields(s) {
		v, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("store: rate limit %s: bad hit %q", bucket, f)
		}
		hits = append(hits, fromMicros(v))
	}
	return hits, nil
}

// PutRateHits stores the hits of a bucket locked by RateHitsForUpdate.
func (tx *Tx) PutRateHits(ctx context.Context, bucket string, hits []time.Time, now time.Time) error {
	parts := make([]string, len(hits))
	for i, h := range hits {
		parts[i] = strconv.FormatInt(micros(h), 10)
	}
	if _, err := tx.tx.ExecContext(ctx, `UPDATE rate_limits SET hits = $2, updated_at = $3 WHERE bucket = $1`,
		bucket, strings.Join(parts, " "), micros(now)); err != nil {
		return fmt.Errorf("store: rate limit: %w", err)
	}
	return nil
}

// DeleteStaleRateLimits deletes buckets untouched since before (the daily
// cleanup; every window is at most an hour), at most limit.
func (tx *Tx) DeleteStaleRateLimits(ctx context.Context, before time.Time, limit int) (int64, error) {
	res, err := tx.tx.ExecContext(ctx, `DELETE FROM rate_limits WHERE bucket IN (
		SELECT bucket FROM rate_limits WHERE updated_at < $1 LIMIT $2)`, micros(before), limit)
	if err != nil {
		return 0, fmt.Errorf("store: delete rate limits: %w", err)
	}
	return res.RowsAffected()
}

// EnqueueMail puts a message in the outbox: a mail_send job, in this
// transaction (mail.NewOutbox; the job runner's mail handler sends it).
func (tx *Tx) EnqueueMail(ctx context.Context, m mail.Message, key string) error {
	o, err := mail.NewOutbox(m, key)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	_, err = tx.EnqueueJob(ctx, Job{Kind: mail.JobKind, DedupeKey: o.DedupeKey, Payload: o.Payload, RunAt: tx.Now(), MaxAttempts: o.MaxAttempts})
	return err
}

// Enqueue adds a job of kind with a JSON payload, due at runAt (the
// domain's way to queue background work in its own transaction).
func (tx *Tx) Enqueue(ctx context.Context, kind, key string, payload []byte, runAt time.Time) error {
	_, err := tx.EnqueueJob(ctx, Job{Kind: kind, DedupeKey: key, Payload: payload, RunAt: runAt})
	return err
}
