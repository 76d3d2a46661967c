package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/bankapp/bankapp/internal/audit"
	"github.com/google/uuid"
)

// InsertAudit writes an audit event in the transaction of the change it
// records.
func (tx *Tx) InsertAudit(ctx context.Context, e audit.Event) error {
	return insertAudit(ctx, tx.tx, e, tx.Now())
}

// InsertAudit writes an audit event on its own (events with no other change,
// such as a failed login or an admin read).
func (db *DB) InsertAudit(ctx context.Context, e audit.Event) error {
	return insertAudit(ctx, db.w, e, db.Now())
}

func insertAudit(ctx context.Context, q querier, e audit.Event, now time.Time) error {
	if e.ID == "" {
		e.ID = uuid.Must(uuid.NewV7()).String()
	}
	if e.At.IsZero() {
		e.At = now
	}
	_, err := q.ExecContext(ctx, `INSERT INTO audit_events (id, at, actor_id, action, target, ip, request_id, outcome, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		e.ID, micros(e.At), nullable(e.ActorID), e.Action, e.Target, e.IP, e.RequestID, e.Outcome, e.Detail)
	if err != nil {
		return fmt.Errorf("store: audit: %w", err)
	}
	return nil
}

// AuditEvents pages the audit log, newest first.
func (db *DB) AuditEvents(ctx context.Context, f audit.Filter) ([]audit.Event, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if f.ActorID != "" {
		add("actor_id = $%d", f.ActorID)
	}
	if f.Action != "" {
		add("action = $%d", f.Action)
	}
	if f.Before > 0 {
		add("seq < $%d", f.Before)
	}
	q := `SELECT seq, id, at, COALESCE(actor_id, ''), action, target, ip, request_id, outcome, detail FROM audit_events`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	args = append(args, f.Limit)
	q += fmt.Sprintf(" ORDER BY seq DESC LIMIT $%d", len(args)) // #nosec G202 -- only constant conditions and $n placeholders are joined; values are bound parameters
	rows, err := db.reader(ctx).QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: audit events: %w", err)
	}
	defer rows.Close()
	var out []audit.Event
	for rows.Next() {
		var e audit.Event
		var at int64
		if err := rows.Scan(&e.Seq, &e.ID, &at, &e.ActorID, &e.Action, &e.Target, &e.IP, &e.RequestID, &e.Outcome, &e.Detail); err != nil {
			return nil, fmt.Errorf("store: audit events: %w", err)
		}
		e.At = fromMicros(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// InsertAudits writes many audit events with one statement (group commit).
func (tx *Tx) InsertAudits(ctx context.Context, es []audit.Event) error {
	const cols = 9
	now := tx.Now()
	for _, c := range chunks(len(es), 1000) {
		var b strings.Builder
		args := make([]any, 0, (c[1]-c[0])*cols)
		b.WriteString(`INSERT INTO audit_events (id, at, actor_id, action, target, ip, request_id, outcome, detail) VALUES `)
		for i, e := range es[c[0]:c[1]] {
			if e.ID == "" {
				e.ID = uuid.Must(uuid.NewV7()).String()
			}
			if e.At.IsZero() {
				e.At = now
			}
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(" + placeholders(i*cols+1, cols) + ")")
			args = append(args, e.ID, micros(e.At), nullable(e.ActorID), e.Action, e.Target, e.IP, e.RequestID, e.Outcome, e.Detail)
		}
		if _, err := tx.tx.ExecContext(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("store: audit events: %w", err)
		}
	}
	return nil
}
