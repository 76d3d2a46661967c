package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bankapp/bankapp/internal/ledger"
)

// AcquireIdempotencyKey implements ledger.IdemTx. On PostgreSQL it takes a
// transaction-scoped advisory lock on the key, so a duplicate on another
// instance sees the key busy instead of waiting; SQLite's single writer
// already serialises the whole transaction.
func (tx *Tx) AcquireIdempotencyKey(ctx context.Context, owner, key string) (bool, error) {
	if tx.dialect != Postgres {
		return true, nil
	}
	var ok bool
	err := tx.tx.QueryRowContext(ctx, `SELECT pg_try_advisory_xact_lock(hashtextextended($1, 7))`, owner+"\x1f"+key).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("store: idempotency lock: %w", err)
	}
	return ok, nil
}

// IdempotencyRecord implements ledger.IdemTx.
func (tx *Tx) IdempotencyRecord(ctx context.Context, owner, key string, since time.Time) (*ledger.IdemRecord, error) {
	var rec ledger.IdemRecord
	var body string
	var created int64
	err := tx.tx.QueryRowContext(ctx, `SELECT request_hash, status_code, response_body, created_at
		FROM idempotency_keys WHERE owner_id = $1 AND key = $2 AND created_at >= $3`,
		owner, key, micros(since)).Scan(&rec.RequestHash, &rec.Response.Status, &body, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: idempotency record: %w", err)
	}
	rec.Response.Body = []byte(body)
	rec.CreatedAt = fromMicros(created)
	return &rec, nil
}

// PutIdempotencyRecord implements ledger.IdemTx; an expired record under the
// same key is replaced.
func (tx *Tx) PutIdempotencyRecord(ctx context.Context, owner, key string, rec ledger.IdemRecord) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO idempotency_keys (owner_id, key, request_hash, status_code, response_body, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (owner_id, key) DO UPDATE SET request_hash = excluded.request_hash,
			status_code = excluded.status_code, response_body = excluded.response_body, created_at = excluded.created_at`,
		owner, key, rec.RequestHash, rec.Response.Status, string(rec.Response.Body), micros(rec.CreatedAt))
	if err != nil {
		return fmt.Errorf("store: put idempotency record: %w", err)
	}
	return nil
}

// DeleteExpiredIdempotencyKeys removes up to limit keys created before
// before (oldest first, through the created_at index), so that one run's
// transaction stays short; a key past its TTL answers nothing anyway.
func (tx *Tx) DeleteExpiredIdempotencyKeys(ctx context.Context, before time.Time, limit int) (int64, error) {
	res, err := tx.tx.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE (owner_id, key) IN (SELECT owner_id, key FROM idempotency_keys
		WHERE created_at < $1 ORDER BY created_at LIMIT $2)`, micros(before), limit)
	if err != nil {
		return 0, fmt.Errorf("store: delete expired idempotency keys: %w", err)
	}
	return res.RowsAffected()
}

// PutIdempotencyRecords stores many records with one statement (group
// commit). The keys are new: the batch holds their advisory locks and found
// no live record.
func (tx *Tx) PutIdempotencyRecords(ctx context.Context, recs []ledger.IdemPut) error {
	const cols = 6
	for _, c := range chunks(len(recs), 1000) {
		var b strings.Builder
		args := make([]any, 0, (c[1]-c[0])*cols)
		b.WriteString(`INSERT INTO idempotency_keys (owner_id, key, request_hash, status_code, response_body, created_at) VALUES `)
		for i, r := range recs[c[0]:c[1]] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(" + placeholders(i*cols+1, cols) + ")")
			args = append(args, r.Owner, r.Key, r.Record.RequestHash, r.Record.Response.Status, string(r.Record.Response.Body), micros(r.Record.CreatedAt))
		}
		b.WriteString(` ON CONFLICT (owner_id, key) DO UPDATE SET request_hash = excluded.request_hash,
			status_code = excluded.status_code, response_body = excluded.response_body, created_at = excluded.created_at`)
		if _, err := tx.tx.ExecContext(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("store: put idempotency records: %w", err)
		}
	}
	return nil
}
