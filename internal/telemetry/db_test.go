package telemetry_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/bankapp/bankapp/internal/telemetry"
	"github.com/bankapp/bankapp/internal/telemetry/otlptest"
)

func recorder(t *testing.T) (*tracetest.SpanRecorder, trace.Tracer) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	return rec, tp.Tracer("test")
}

func TestStartDBSpan(t *testing.T) {
	rec, tr := recorder(t)

	// No span in the context: nothing happens.
	ctx := context.Background()
	got, end := telemetry.StartDBSpan(ctx, "store.Account")
	end(errors.New("x"))
	if got != ctx || len(rec.Started()) != 0 {
		t.Fatal("a span without a parent")
	}

	ctx, parent := tr.Start(context.Background(), "request")
	for _, c := range []struct {
		err    error
		status codes.Code
		desc   string
	}{
		{nil, codes.Unset, ""},
		{sql.ErrNoRows, codes.Unset, ""},
		{fmt.Errorf("store: account %s: %w", "acc-secret-1", sql.ErrNoRows), codes.Unset, ""},
		{fmt.Errorf("store: transfer of %d: %w", 12345, context.DeadlineExceeded), codes.Error, "timeout"},
		{fmt.Errorf("store: balance 98765: %w", &net.OpError{Op: "read", Err: errors.New("reset")}), codes.Error, "*net.OpError"},
		{fmt.Errorf("balance 98765 below %d", 0), codes.Error, "*errors.errorString"},
		{&net.DNSError{Name: "db-98765"}, codes.Error, "*net.DNSError"},
	} {
		_, end := telemetry.StartDBSpan(ctx, "store.WriteTransfers", semconv.DBSystemNameSQLite)
		end(c.err)
		spans := rec.Ended()
		s := spans[len(spans)-1]
		if s.Name() != "store.WriteTransfers" || s.Parent().SpanID() != parent.SpanContext().SpanID() || s.SpanKind() != trace.SpanKindClient {
			t.Errorf("span %s parent %s kind %s", s.Name(), s.Parent().SpanID(), s.SpanKind())
		}
		if s.Status().Code != c.status || (c.desc != "" && s.Status().Description != c.desc) {
			t.Errorf("%v: status %v", c.err, s.Status())
		}
		if c.err != nil {
			if text := fmt.Sprint(s.Status(), s.Attributes(), s.Events()); strings.Contains(text, "98765") || strings.Contains(text, "12345") {
				t.Errorf("the span quotes the error: %s", text)
			}
		}
		if fmt.Sprint(s.Attributes()) != fmt.Sprint(spanAttrs(c.err != nil && c.status == codes.Error, c.desc)) {
			t.Errorf("attributes %v", s.Attributes())
		}
	}
	parent.End()
}

func spanAttrs(failed bool, reason string) []any {
	out := []any{semconv.DBSystemNameSQLite}
	if failed {
		out = append(out, semconv.ErrorTypeKey.String(reason))
	}
	return out
}

func TestStartBatchLinksTheRequests(t *testing.T) {
	rec, tr := recorder(t)
	worker := context.WithValue(context.Background(), ctxKey{}, "worker")

	// Nobody sampled: no batch span.
	ctx, span := telemetry.StartBatch(worker, "groupcommit.batch", []context.Context{context.Background(), context.Background()})
	if ctx != worker || span.IsRecording() {
		t.Fatal("a batch span without a sampled member")
	}
	span.End()

	c1, r1 := tr.Start(context.Background(), "POST /api/v1/transfers")
	c2, r2 := tr.Start(context.Background(), "POST /api/v1/transfers")
	members := []context.Context{context.Background(), c1, c2} // the first one is not traced
	ctx, batch := telemetry.StartBatch(worker, "groupcommit.batch", members)
	if ctx.Value(ctxKey{}) != "worker" {
		t.Error("the batch context is not the worker's")
	}
	_, q := tr.Start(ctx, "INSERT postings")
	q.End()
	batch.End()
	r1.End()
	r2.End()

	byName := map[string][]sdktrace.ReadOnlySpan{}
	for _, s := range rec.Ended() {
		byName[s.Name()] = append(byName[s.Name()], s)
	}
	b := byName["groupcommit.batch"][0]
	if b.Parent().SpanID() != r1.SpanContext().SpanID() || b.Parent().TraceID() != r1.SpanContext().TraceID() {
		t.Errorf("batch parent %v, want the first sampled request", b.Parent())
	}
	if len(b.Links()) != 2 || b.Links()[0].SpanContext.SpanID() != r1.SpanContext().SpanID() || b.Links()[1].SpanContext.SpanID() != r2.SpanContext().SpanID() {
		t.Errorf("batch links %v", b.Links())
	}
	if fmt.Sprint(b.Attributes()) != fmt.Sprint([]any{telemetry.BatchSizeKey.Int(3)}) {
		t.Errorf("batch attributes %v", b.Attributes())
	}
	if byName["INSERT postings"][0].Parent().SpanID() != b.SpanContext().SpanID() {
		t.Error("SQL is not under the batch")
	}
	for _, r := range byName["POST /api/v1/transfers"] {
		if len(r.Links()) != 1 || r.Links()[0].SpanContext.SpanID() != b.SpanContext().SpanID() {
			t.Errorf("request %s links %v, want the batch", r.SpanContext().SpanID(), r.Links())
		}
	}
}

// postgresURL is TEST_DATABASE_URL (scripts/pg.sh), as in storetest.
func postgresURL(t *testing.T) string {
	u := os.Getenv("TEST_DATABASE_URL")
	if u == "" {
		if os.Getenv("BANKAPP_REQUIRE_PG") == "1" {
			t.Fatal("TEST_DATABASE_URL is not set but BANKAPP_REQUIRE_PG=1")
		}
		t.Skip("PostgreSQL tests need TEST_DATABASE_URL (make test starts a server)")
	}
	return u
}

// TestPGXTracerOnPostgres runs statements through database/sql and pgx's
// stdlib driver, as the store does, on a real PostgreSQL, and checks the
// exported trace: a child span per statement, named by operation and
// table, without the SQL or its values.
func TestPGXTracerOnPostgres(t *testing.T) {
	cc, err := pgx.ParseConfig(postgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	cc.Tracer = telemetry.PGXTracer{}
	db := stdlib.OpenDB(*cc)
	defer db.Close()
	db.SetMaxOpenConns(1)

	rcv := otlptest.NewHTTP(t)
	tp, flush := startTracing(t, rcv, nil)
	bg, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// Untraced statements (start-up, migrations) make no spans.
	if _, err := db.ExecContext(bg, "CREATE TEMPORARY TABLE traced_accounts (id text PRIMARY KEY, balance bigint NOT NULL)"); err != nil {
		t.Fatal(err)
	}

	const secret = "acc-7f3a-secret"
	ctx, root := tp.Tracer("test").Start(bg, "POST /api/v1/transfers", trace.WithSpanKind(trace.SpanKindServer))
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO traced_accounts (id, balance) VALUES ($1, $2)", secret, 424242); err != nil {
		t.Fatal(err)
	}
	var n int64
	if err := tx.QueryRowContext(telemetry.WithQueryName(ctx, "accounts.balance"),
		"SELECT balance FROM traced_accounts WHERE id = $1", secret).Scan(&n); err != nil || n != 424242 {
		t.Fatal(n, err)
	}
	_, err = tx.ExecContext(ctx, "INSERT INTO traced_accounts (id, balance) VALUES ($1, $2)", secret, 1)
	if err == nil {
		t.Fatal("duplicate key accepted")
	}
	_ = tx.Rollback()
	root.End()
	flush()

	traceID := root.SpanContext().TraceID().String()
	rcv.WaitSpan(t, traceID, "POST /api/v1/transfers", 10*time.Second)
	got := otlptest.Tree(rcv.Trace(traceID))
	want := "POST /api/v1/transfers [server]\n" +
		"  BEGIN [client]\n" +
		"  INSERT traced_accounts [client]\n" +
		"  accounts.balance [client]\n" +
		"  INSERT traced_accounts [client]\n" +
		"  ROLLBACK [client]\n"
	if got != want {
		t.Errorf("tree:\n%s\nwant:\n%s", got, want)
	}
	spans := rcv.Trace(traceID)
	if len(spans) != 6 {
		t.Fatalf("%d spans", len(spans))
	}
	ok, dup, named := spans[2], spans[4], spans[3]
	if ok.Attributes["db.system.name"] != "postgresql" || ok.Attributes["db.operation.name"] != "INSERT" ||
		ok.Attributes["db.collection.name"] != "traced_accounts" || ok.Attributes["db.query.summary"] != "INSERT traced_accounts" ||
		ok.Attributes["server.address"] != cc.Host || ok.Status != "unset" {
		t.Errorf("insert span = %+v", ok)
	}
	if named.Attributes["db.query.summary"] != "SELECT traced_accounts" {
		t.Errorf("named span = %+v", named)
	}
	if dup.Status != "error" || dup.StatusMsg != "SQLSTATE 23505" || dup.Attributes["db.response.status_code"] != "23505" {
		t.Errorf("failed insert span = %+v", dup)
	}
	for _, s := range rcv.Spans() {
		if text := fmt.Sprint(s); strings.Contains(text, secret) || strings.Contains(text, "424242") || strings.Contains(text, "VALUES") {
			t.Errorf("span %s carries SQL or values: %s", s.Name, text)
		}
		if s.TraceID != traceID {
			t.Errorf("span outside the request's trace: %+v", s)
		}
	}
}

// TestNothingAllocatedWhenNotRecording: with tracing off or a trace not
// sampled, the SQL and batch hooks cost a context lookup and nothing else.
func TestNothingAllocatedWhenNotRecording(t *testing.T) {
	unsampled := trace.ContextWithSpanContext(context.Background(), trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: trace.TraceID{1}, SpanID: trace.SpanID{2}}))
	members := []context.Context{unsampled, context.Background()}
	var tr telemetry.PGXTracer
	for name, ctx := range map[string]context.Context{"no span": context.Background(), "not sampled": unsampled} {
		allocs := testing.AllocsPerRun(100, func() {
			qctx := tr.TraceQueryStart(ctx, nil, pgx.TraceQueryStartData{SQL: "SELECT balance FROM accounts WHERE id = $1"})
			tr.TraceQueryEnd(qctx, nil, pgx.TraceQueryEndData{})
			dctx, end := telemetry.StartDBSpan(ctx, "store.Account", semconv.DBSystemNameSQLite)
			end(nil)
			_, span := telemetry.StartBatch(dctx, "groupcommit.batch", members)
			span.End()
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations", name, allocs)
		}
	}
}
