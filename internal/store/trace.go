package store

import (
	"context"
	"errors"

	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/bankapp/bankapp/internal/telemetry"
)

// Spans on SQLite. PostgreSQL statements get a span each from pgx's tracer
// (openPostgres); modernc's SQLite driver has no such hook, so on SQLite
// the store makes one span per transaction (store.InTx) and per hot method
// (the group-commit steps, the per-request session and user reads), named
// "store.<Method>" with db.system.name=sqlite. Like the pgx spans they are
// made only under a recording span (a sampled request or job): otherwise
// the cost is one dialect test and one context lookup, nothing allocated.

// span starts the SQLite span of a store method; see above. The returned
// function ends it with the method's error. A coded error (not found,
// insufficient funds: the domain's answer, not a database failure) does
// not mark the span failed.
func (db *DB) span(ctx context.Context, op string) (context.Context, func(error)) {
	if db.dialect != SQLite || !trace.SpanFromContext(ctx).IsRecording() {
		return ctx, endNoSpan
	}
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
