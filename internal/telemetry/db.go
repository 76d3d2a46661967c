package telemetry

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// SQL spans. Two ways in, one for each engine (the store picks; both may be
// used together on PostgreSQL, the per-statement spans then nesting under
// the per-method ones):
//
// PostgreSQL, a span per statement: set PGXTracer on the pgx connection
// configuration instead of sql.Open("pgx", url):
//
//	cc, err := pgx.ParseConfig(url)
//	cc.Tracer = telemetry.PGXTracer{}
//	db := stdlib.OpenDB(*cc)
//
// Every Exec/Query/QueryRow (and transaction BEGIN/COMMIT) issued with a
// context whose span is recording gets a child span named by a summary of
// the statement: "SELECT accounts", "INSERT postings", "UPDATE balances",
// "BEGIN" — the first keyword and the table, never the SQL text or its
// arguments. WithQueryName(ctx, "transfers.day_totals") names the spans of
// the statements run with that context instead.
//
// SQLite (modernc.org/sqlite has no tracer hook), or a span per store
// method on either engine:
//
//	func (db *DB) WriteTransfers(ctx context.Context, ts []Transfer) (err error) {
//		ctx, end := telemetry.StartDBSpan(ctx, "store.WriteTransfers", semconv.DBSystemNameSQLite)
//		defer func() { end(err) }()
//		…
//
// Neither does anything, nor allocates, when the context's span is not
// recording: tracing off, this trace not sampled, or no span at all (a
// statement outside any request or job makes no lone root span).
//
// Errors mark the span failed with the SQLSTATE code (e.g. 23505) or the
// error's Go type as the reason, never the message: PostgreSQL and driver
// messages can quote the values. sql.ErrNoRows is not a failure.

// PGXTracer is a pgx.QueryTracer, pgx.BatchTracer and pgx.ConnectTracer
// making child spans for SQL statements (pipelined ones too) and for new
// connections. The zero value is ready; it
// uses the tracer provider of the parent span.
type PGXTracer struct{}

var (
	_ pgx.QueryTracer   = PGXTracer{}
	_ pgx.ConnectTracer = PGXTracer{}
	_ pgx.BatchTracer   = PGXTracer{}
)

type queryNameKey struct{}

// WithQueryName makes PGXTracer name the spans of statements run with ctx
// (and contexts derived from it) name rather than a summary of their SQL.
func WithQueryName(ctx context.Context, name string) context.Context {
	return context.WithValue(ctx, queryNameKey{}, name)
}

// TraceQueryStart starts the statement's span.
func (PGXTracer) TraceQueryStart(ctx context.Context, conn *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	parent := trace.SpanFromContext(ctx)
	if !parent.IsRecording() {
		return ctx
	}
	name, _ := ctx.Value(queryNameKey{}).(string)
	ctx, _ = startStatement(ctx, parent, conn, data.SQL, name)
	return ctx
}

// startStatement starts the span of one statement under parent, named
// name or, when name is empty, by the statement's summary.
func startStatement(ctx context.Context, parent trace.Span, conn *pgx.Conn, sql, name string, opts ...trace.SpanStartOption) (context.Context, trace.Span) {
	op, table := summarizeSQL(sql)
	summary := op
	if table != "" {
		summary = op + " " + table
	}
	if name == "" {
		name = summary
	}
	attrs := make([]attribute.KeyValue, 0, 6)
	attrs = append(attrs, semconv.DBSystemNamePostgreSQL, semconv.DBQuerySummary(summary))
	if op != "" {
		attrs = append(attrs, semconv.DBOperationName(op))
	}
	if table != "" {
		attrs = append(attrs, semconv.DBCollectionName(table))
	}
	if conn != nil {
		attrs = append(attrs, serverAttrs(conn.Config().Host, conn.Config().Port)...)
	}
	opts = append(opts, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(attrs...))
	return parent.TracerProvider().Tracer(TracerName).Start(ctx, name, opts...)
}

type batchNamesKey struct{}

// WithBatchNames names the spans of the statements of the next pipeline
// (pgx.Batch) sent with ctx, in the order they were queued; an empty or
// missing name falls back to the statement's summary.
func WithBatchNames(ctx context.Context, names ...string) context.Context {
	return context.WithValue(ctx, batchNamesKey{}, names)
}

// batchTrace follows one pipeline: its statements' results are read in
// order, so each statement's span runs from the previous one's end (or the
// send) to the moment its result was read.
type batchTrace struct {
	parent trace.Span
	names  []string
	last   time.Time
	i      int
}

type batchTraceKey struct{}

// TraceBatchStart notes the pipeline's start; each statement gets its span
// in TraceBatchQuery, directly under ctx's span.
func (PGXTracer) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	parent := trace.SpanFromContext(ctx)
	if !parent.IsRecording() {
		return ctx
	}
	names, _ := ctx.Value(batchNamesKey{}).([]string)
	return context.WithValue(ctx, batchTraceKey{}, &batchTrace{parent: parent, names: names, last: time.Now()})
}

// TraceBatchQuery records one statement of the pipeline as a span.
func (PGXTracer) TraceBatchQuery(ctx context.Context, conn *pgx.Conn, data pgx.TraceBatchQueryData) {
	bt, ok := ctx.Value(batchTraceKey{}).(*batchTrace)
	if !ok {
		return
	}
	var name string
	if bt.i < len(bt.names) {
		name = bt.names[bt.i]
	}
	bt.i++
	_, span := startStatement(ctx, bt.parent, conn, data.SQL, name, trace.WithTimestamp(bt.last))
	bt.last = time.Now()
	MarkFailed(span, data.Err)
	span.End(trace.WithTimestamp(bt.last))
}

// TraceBatchEnd ends nothing: the statements' spans are ended as they are
// read.
func (PGXTracer) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// TraceQueryEnd ends the statement's span.
func (PGXTracer) TraceQueryEnd(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryEndData) {
	endSpan(trace.SpanFromContext(ctx), data.Err)
}

// TraceConnectStart starts a "connect" span when the pool dials a new
// connection on behalf of a traced request.
func (PGXTracer) TraceConnectStart(ctx context.Context, data pgx.TraceConnectStartData) context.Context {
	parent := trace.SpanFromContext(ctx)
	if !parent.IsRecording() {
		return ctx
	}
	attrs := []attribute.KeyValue{semconv.DBSystemNamePostgreSQL}
	if data.ConnConfig != nil {
		attrs = append(attrs, serverAttrs(data.ConnConfig.Host, data.ConnConfig.Port)...)
	}
	ctx, _ = parent.TracerProvider().Tracer(TracerName).Start(ctx, "connect",
		trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(attrs...))
	return ctx
}

// TraceConnectEnd ends the "connect" span.
func (PGXTracer) TraceConnectEnd(ctx context.Context, data pgx.TraceConnectEndData) {
	endSpan(trace.SpanFromContext(ctx), data.Err)
}

func serverAttrs(host string, port uint16) []attribute.KeyValue {
	if host == "" || host[0] == '/' { // a Unix socket directory says nothing useful
		return nil
	}
	return []attribute.KeyValue{semconv.ServerAddress(host), semconv.ServerPort(int(port))}
}

// StartDBSpan starts a client span named op (e.g. "store.WriteTransfers")
// under ctx's span, with attrs (e.g. semconv.DBSystemNameSQLite). Call the
// returned function with the method's error when it returns; it ends the
// span. With no recording span in ctx, ctx comes back unchanged with a
// function that does nothing.
func StartDBSpan(ctx context.Context, op string, attrs ...attribute.KeyValue) (context.Context, func(error)) {
	parent := trace.SpanFromContext(ctx)
	if !parent.IsRecording() {
		return ctx, endNothing
	}
	// A copy, so that attrs does not escape and the caller's variadic slice
	// stays on its stack when no span is made.
	ctx, span := parent.TracerProvider().Tracer(TracerName).Start(ctx, op,
		trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(slices.Clone(attrs)...))
	return ctx, func(err error) { endSpan(span, err) }
}

func endNothing(error) {}

// endSpan ends span, marking it failed by err's reason (not its text).
func endSpan(span trace.Span, err error) {
	MarkFailed(span, err)
	span.End()
}

// MarkFailed marks span failed by err's reason — its SQLSTATE, or its Go
// type — never its text, which can quote values; error.type says the same.
// A nil err, sql.ErrNoRows and pgx.ErrNoRows leave the span as it is.
func MarkFailed(span trace.Span, err error) {
	if err != nil && !errors.Is(err, sql.ErrNoRows) && !errors.Is(err, pgx.ErrNoRows) {
		reason := errorReason(err)
		if span.IsRecording() {
			span.SetAttributes(semconv.ErrorTypeKey.String(reason))
			var pgErr *pgconn.PgError
			if errors.As(err, &pgErr) {
				span.SetAttributes(semconv.DBResponseStatusCode(pgErr.Code))
			}
		}
		span.SetStatus(codes.Error, reason)
	}
}

// errorReason names an error without quoting it: its SQLSTATE, or its Go
// type (that of the error fmt.Errorf wrapped).
func errorReason(err error) string {
	var pgErr *pgconn.PgError
	switch {
	case errors.As(err, &pgErr):
		return "SQLSTATE " + pgErr.Code
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, sql.ErrTxDone):
		return "tx done"
	case errors.Is(err, sql.ErrConnDone):
		return "conn done"
	}
	for {
		// fmt.Errorf's wrappers say nothing: name what they wrap.
		t := fmt.Sprintf("%T", err)
		inner := errors.Unwrap(err)
		if inner == nil || t != "*fmt.wrapError" {
			return t
		}
		err = inner
	}
}

// maxSummaryScan bounds the work summarizeSQL does on a long statement.
const maxSummaryScan = 4096

// summarizeSQL returns the statement's operation (its first keyword, or the
// main statement's after a WITH's common table expressions) and its table
// (after INSERT INTO, UPDATE, DELETE FROM, or a SELECT's first FROM), both
// read only from words outside parentheses, literals and comments.
func summarizeSQL(q string) (op, table string) {
	if len(q) > maxSummaryScan {
		q = q[:maxSummaryScan]
	}
	var words []string // upper-cased keywords and identifiers at depth 0; "(" for a parenthesis
	depth := 0
	for i := 0; i < len(q); {
		c := q[i]
		switch {
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			for i < len(q) && q[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(q) && q[i+1] == '*':
			i += 2
			for i+1 < len(q) && (q[i] != '*' || q[i+1] != '/') {
				i++
			}
			i += 2
		case c == '\'':
			i++
			for i < len(q) && q[i] != '\'' {
				i++
			}
			i++
		case c == '(':
			if depth == 0 {
				words = append(words, "(")
			}
			depth++
			i++
		case c == ')':
			if depth > 0 {
				depth--
			}
			i++
		case isIdentByte(c) || c == '"':
			start := i
			for i < len(q) && (isIdentByte(q[i]) || q[i] == '.' || q[i] == '"' || q[i] == '$') {
				i++
			}
			if depth == 0 {
				words = append(words, q[start:i])
			}
		default:
			i++
		}
	}
	upper := func(i int) string {
		if i < len(words) {
			return asciiUpper(words[i])
		}
		return ""
	}
	ident := func(i int) string {
		if i >= len(words) || words[i] == "(" || isDigit(words[i][0]) || words[i][0] == '$' {
			return ""
		}
		return unquote(words[i])
	}
	start := 0
	op = upper(0)
	if op == "WITH" {
		for j := 1; j < len(words); j++ {
			switch w := upper(j); w {
			case "SELECT", "INSERT", "UPDATE", "DELETE", "MERGE":
				op, start = w, j
			}
			if start != 0 {
				break
			}
		}
	}
	if op != "" && !isIdentByte(op[0]) {
		return "", ""
	}
	for j := start + 1; j < len(words); j++ {
		w := upper(j)
		switch {
		case op == "INSERT" && w == "INTO",
			op == "DELETE" && w == "FROM",
			op == "SELECT" && w == "FROM":
			if upper(j+1) == "ONLY" {
				j++
			}
			return op, ident(j + 1)
		case op == "UPDATE":
			if w == "ONLY" {
				continue
			}
			return op, ident(j)
		}
	}
	return op, ""
}

func isIdentByte(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || isDigit(c)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func asciiUpper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// unquote drops double quotes from a possibly qualified identifier.
func unquote(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '"' {
			out = append(out, s[i])
		}
	}
	return string(out)
}
