package store

import (
	"context"
	"errors"

	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/bankapp/bankapp/internal/telemetry"
)

// SQL spans. PostgreSQL statements get a span each from pgx's tracer
// (openPostgres), named by a summary of the statement ("INSERT day_totals").
// modernc's SQLite driver has no such hook, so on SQLite the store makes
// one span per transaction (store.InTx) and per hot method (the
// group-commit steps, the per-request session and user reads), named
// "store.<Method>" with db.system.name=sqlite. On PostgreSQL the hot
// methods, each one statement, name that statement's span "store.<Method>"
// instead of its summary (which stays in db.query.summary), so that both
// engines' traces read alike. All of it happens only under a recording span
// (a sampled request or job): otherwise the cost is one context lookup,
// nothing allocated.

// span starts the span of a hot store method; see above. The returned
// function ends it with the method's error. A coded error (not found,
// insufficient funds: the domain's answer, not a database failure) does
// not mark the span failed.
func (db *DB) span(ctx context.Context, op string) (context.Context, func(error)) {
	if !trace.SpanFromContext(ctx).IsRecording() {
		return ctx, endNoSpan
	}
	if db.dialect != SQLite {
		return telemetry.WithQueryName(ctx, op), endNoSpan
	}
	return db.sqliteSpan(ctx, op)
}

// txSpan is the span of a transaction: on SQLite only (PostgreSQL has its
// BEGIN and COMMIT statement spans).
func (db *DB) txSpan(ctx context.Context) (context.Context, func(error)) {
	if db.dialect != SQLite || !trace.SpanFromContext(ctx).IsRecording() {
		return ctx, endNoSpan
	}
	return db.sqliteSpan(ctx, "store.InTx")
}

func (db *DB) sqliteSpan(ctx context.Context, op string) (context.Context, func(error)) {
	ctx, end := telemetry.StartDBSpan(ctx, op, semconv.DBSystemNameSQLite)
	return ctx, func(err error) {
		var coded interface{ ErrorCode() string }
		if errors.As(err, &coded) {
			err = nil
		}
		end(err)
	}
}

func endNoSpan(error) {}
