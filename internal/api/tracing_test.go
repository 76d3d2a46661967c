package api_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/bankapp/bankapp/internal/app"
	"github.com/bankapp/bankapp/internal/store"
	"github.com/bankapp/bankapp/internal/store/storetest"
	"github.com/bankapp/bankapp/internal/telemetry"
	"github.com/bankapp/bankapp/internal/telemetry/otlptest"
)

// lockedBuffer collects the server's log lines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// accessLines returns the JSON access-log lines ("msg":"request") logged so far.
func (l *lockedBuffer) accessLines(t *testing.T) []map[string]any {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(l.b.Bytes()))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("log line is not JSON: %s", sc.Text())
		}
		if m["msg"] == "request" {
			out = append(out, m)
		}
	}
	return out
}

// tracedEnv is a server whose tracing is configured only by the standard
// variables, exporting over OTLP/HTTP protobuf to an in-process receiver.
type tracedEnv struct {
	*env
	rcv *otlptest.Receiver
	tp  trace.TracerProvider
	log *lockedBuffer
}

func newTracedEnv(t *testing.T, db *store.DB) *tracedEnv {
	t.Helper()
	t.Setenv("OTEL_BSP_SCHEDULE_DELAY", "200") // export every 200 ms rather than 5 s: a quicker test
	rcv := otlptest.NewHTTP(t)
	vars := map[string]string{
		"OTEL_EXPORTER_OTLP_ENDPOINT": rcv.Endpoint(), // http://127.0.0.1:PORT
		"OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
	}
	if !strings.HasPrefix(vars["OTEL_EXPORTER_OTLP_ENDPOINT"], "http://127.0.0.1:") {
		t.Fatalf("receiver endpoint %s", rcv.Endpoint())
	}
	tp, shutdown, err := telemetry.StartTracing(context.Background(), func(k string) string { return vars[k] }, "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = shutdown(context.Background()) })
	if !telemetry.Enabled(tp) {
		t.Fatal("tracing is off with an endpoint set")
	}
	logs := &lockedBuffer{}
	e := newEnvDeps(t, db, func(o *app.Options) {
		o.TracerProvider = tp
		o.Logger = telemetry.NewLogger(logs, "info", "json")
	})
	return &tracedEnv{env: e, rcv: rcv, tp: tp, log: logs}
}

func randomHex(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// byName returns the spans called name.
func byName(spans []otlptest.Span, name string) []otlptest.Span {
	var out []otlptest.Span
	for _, s := range spans {
		if s.Name == name {
			out = append(out, s)
		}
	}
	return out
}

// TestTraceOfATransfer: a transfer request carrying a caller's traceparent
// is exported, within 30 s, as one trace continuing the caller's: the
// request's server span (named by route) → the group-commit batch (linked
// from and to the request) → the SQL of the batch (pgx statement spans on
// PostgreSQL, store spans on SQLite) — with no SQL text or values in any
// attribute, and the access-log line carrying the trace and span ids.
func TestTraceOfATransfer(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newTracedEnv(t, db)
		alice, bob := e.signUp("Alice"), e.signUp("Bob")
		from, _ := e.firstAccount(alice)
		_, to := e.firstAccount(bob)
		e.depositTo(alice, from, "100.00")

		traceID, callerSpan := randomHex(t, 16), randomHex(t, 8)
		r := e.do(req{Method: "POST", Path: "/api/v1/transfers", Token: alice.Token,
			Body:    map[string]any{"from_account_id": from, "to_account_number": to, "amount": "12.34"},
			Headers: map[string]string{"Idempotency-Key": uuid.NewString(), "traceparent": "00-" + traceID + "-" + callerSpan + "-01"}})
		expect(t, r, 201, "")
		sent := time.Now()

		// Wait (channel-driven, no polling) until the request span, the
		// batch span and SQL beneath the batch have all arrived.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		var spans []otlptest.Span
		_, err := e.rcv.Wait(ctx, func(all []otlptest.Span) bool {
			spans = nil
			for _, s := range all {
				if s.TraceID == traceID {
					spans = append(spans, s)
				}
			}
			batch := byName(spans, "groupcommit.batch")
			if len(byName(spans, "POST /api/v1/transfers")) != 1 || len(batch) != 1 {
				return false
			}
			for _, s := range spans {
				if s.ParentSpanID == batch[0].SpanID {
					return true
				}
			}
			return false
		})
		if err != nil {
			t.Fatalf("no request → batch → SQL in trace %s within 30 s; got:\n%s", traceID, otlptest.Tree(spans))
		}
		t.Logf("exported within %s:\n%s", time.Since(sent).Round(time.Millisecond), otlptest.Tree(spans))

		reqSpan := byName(spans, "POST /api/v1/transfers")[0]
		if reqSpan.ParentSpanID != callerSpan || reqSpan.Kind != "server" {
			t.Errorf("request span: parent %s kind %s, want the caller's %s, server", reqSpan.ParentSpanID, reqSpan.Kind, callerSpan)
		}
		if reqSpan.Attributes["http.route"] != "/api/v1/transfers" || reqSpan.Attributes["http.response.status_code"] != int64(201) ||
			reqSpan.Attributes["http.request.method"] != "POST" {
			t.Errorf("request span attributes %v", reqSpan.Attributes)
		}
		if reqSpan.Resource["service.name"] != "bankapp" {
			t.Errorf("resource %v", reqSpan.Resource)
		}

		batch := byName(spans, "groupcommit.batch")[0]
		if batch.ParentSpanID != reqSpan.SpanID {
			t.Errorf("batch parent %s, want the request span %s", batch.ParentSpanID, reqSpan.SpanID)
		}
		if batch.Attributes["bankapp.batch.size"] != int64(1) {
			t.Errorf("batch attributes %v", batch.Attributes)
		}
		if len(batch.Links) != 1 || batch.Links[0].SpanID != reqSpan.SpanID || batch.Links[0].TraceID != traceID {
			t.Errorf("batch links %v, want the request span", batch.Links)
		}
		if len(reqSpan.Links) != 1 || reqSpan.Links[0].SpanID != batch.SpanID {
			t.Errorf("request links %v, want the batch span", reqSpan.Links)
		}

		// The SQL under the batch, by engine.
		under := map[string][]otlptest.Span{}
		for _, s := range spans {
			under[s.ParentSpanID] = append(under[s.ParentSpanID], s)
		}
		names := func(ss []otlptest.Span) []string {
			var n []string
			for _, s := range ss {
				n = append(n, s.Name)
			}
			return n
		}
		sqlUnderBatch := under[batch.SpanID]
		system := "postgresql"
		want := []string{"BEGIN", "COMMIT"}
		if db.Dialect() == store.SQLite {
			// The transaction and the store methods it ran (siblings: the
			// transaction's function gets no context from InTx).
			system = "sqlite"
			want = []string{"store.InTx", "store.LockTransferAccounts", "store.WriteTransfers"}
		} else {
			// Each step of the batch is one statement, named after its
			// store method (its summary in db.query.summary).
			want = append(want, "store.LockIdempotencyKeys", "store.IdempotencyRecords", "store.LockTransferAccounts",
				"store.LockDayTotals", "store.WriteTransfers")
			for _, s := range byName(sqlUnderBatch, "store.LockDayTotals") {
				if s.Attributes["db.query.summary"] != "INSERT day_totals" {
					t.Errorf("store.LockDayTotals: summary %v", s.Attributes["db.query.summary"])
				}
			}
		}
		got := names(sqlUnderBatch)
		for _, w := range want {
			if !strings.Contains(strings.Join(got, "|")+"|", w+"|") {
				t.Errorf("SQL under the batch %v lacks %q", got, w)
			}
		}
		for _, s := range sqlUnderBatch {
			if s.Kind != "client" || s.Attributes["db.system.name"] != system {
				t.Errorf("SQL span %s: kind %s, attributes %v", s.Name, s.Kind, s.Attributes)
			}
		}
		// Never SQL text or values: no attribute of any span holds the
		// accounts, the amount or a statement.
		for _, s := range spans {
			for k, v := range s.Attributes {
				str := fmt.Sprint(v)
				for _, secret := range []string{from, to, "12.34", "1234", "INSERT INTO", " FROM ", "WHERE", "$1", alice.ID} {
					if strings.Contains(str, secret) {
						t.Errorf("span %s attribute %s = %q holds %q", s.Name, k, str, secret)
					}
				}
			}
		}

		// The access-log line of the transfer names the trace and the span.
		var line map[string]any
		for _, l := range e.log.accessLines(t) {
			if l["route"] == "POST /api/v1/transfers" {
				line = l
			}
		}
		if line == nil || line["trace_id"] != traceID || line["span_id"] != reqSpan.SpanID {
			t.Errorf("access log line %v, want trace_id %s span_id %s", line, traceID, reqSpan.SpanID)
		}
	})
}

// TestAccessLogIdsAndSampling: with tracing on, every access-log line of
// a traced route carries trace_id and span_id, sampled or not; a caller's
// "not sampled" is obeyed (nothing exported), a caller's "sampled" is
// continued, and a request without traceparent starts a trace of its own.
func TestAccessLogIdsAndSampling(t *testing.T) {
	e := newTracedEnv(t, storetest.Open(t, store.SQLite))
	u := e.signUp("Sam")
	sampled, unsampled := randomHex(t, 16), randomHex(t, 16)
	for _, tp := range []string{"00-" + sampled + "-" + randomHex(t, 8) + "-01", "00-" + unsampled + "-" + randomHex(t, 8) + "-00", ""} {
		h := map[string]string{}
		if tp != "" {
			h["traceparent"] = tp
		}
		expect(t, e.do(req{Method: "GET", Path: "/api/v1/me", Token: u.Token, Headers: h}), 200, "")
	}
	if err := e.tp.(*sdktrace.TracerProvider).ForceFlush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(e.rcv.Trace(unsampled)) != 0 {
		t.Errorf("an unsampled caller's trace was exported:\n%s", otlptest.Tree(e.rcv.Trace(unsampled)))
	}
	me := byName(e.rcv.Trace(sampled), "GET /api/v1/me")
	if len(me) != 1 {
		t.Fatalf("the sampled caller's trace: %s", otlptest.Tree(e.rcv.Trace(sampled)))
	}
	if sessions := byName(e.rcv.Trace(sampled), "store.SessionPrincipal"); len(sessions) > 1 {
		t.Errorf("%d session reads", len(sessions))
	}
	lines := e.log.accessLines(t)
	var ids []string
	for _, l := range lines {
		tid, _ := l["trace_id"].(string)
		sid, _ := l["span_id"].(string)
		if len(tid) != 32 || len(sid) != 16 {
			t.Errorf("access-log line without trace ids: %v", l)
		}
		if l["route"] == "GET /api/v1/me" {
			ids = append(ids, tid)
		}
	}
	if len(ids) != 3 || ids[0] != sampled || ids[1] != unsampled || ids[2] == sampled || ids[2] == unsampled {
		t.Errorf("trace ids of the three requests %v, want %s, %s and a new one", ids, sampled, unsampled)
	}
	// A fresh trace of our own is exported (parentbased_always_on).
	if got := byName(e.rcv.Trace(ids[2]), "GET /api/v1/me"); len(got) != 1 || got[0].ParentSpanID != "" {
		t.Errorf("the request without traceparent: %v", got)
	}
}
