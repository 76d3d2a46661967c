package telemetry_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/trace"

	"github.com/bankapp/bankapp/internal/telemetry"
	"github.com/bankapp/bankapp/internal/telemetry/otlptest"
)

type ctxKey struct{}

// server is a stand-in for internal/api's middleware stack: tracing outside,
// then a request-scoped value (which copies the request, hiding the mux's
// r.Pattern from otelhttp), the access log, the mux.
func server(tp trace.TracerProvider, log *slog.Logger, mux *http.ServeMux) http.Handler {
	observe := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, "request-id"))
		mux.ServeHTTP(w, r)
		telemetry.RouteSpan(r)
		log.LogAttrs(r.Context(), slog.LevelInfo, "request", slog.String("route", r.Pattern))
	})
	return telemetry.HTTPHandler(observe, tp)
}

// syncBuffer is a log sink the handler goroutine writes while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.Buffer.Write(p)
}

func TestHTTPHandlerContinuesTheCallersTrace(t *testing.T) {
	rcv := otlptest.NewHTTP(t)
	tp, flush := startTracing(t, rcv, nil)
	var logs syncBuffer
	log := telemetry.NewLogger(&logs, "info", "json")
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/accounts/{id}", func(w http.ResponseWriter, r *http.Request) {
		_, span := tp.Tracer("test").Start(r.Context(), "bank.Account")
		span.End()
		_, _ = w.Write([]byte("{}"))
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("POST /api/v1/transfers", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		if err := http.NewResponseController(w).Flush(); err != nil { // the writer underneath is reachable
			t.Error(err)
		}
	})
	srv := httptest.NewServer(server(tp, log, mux))
	defer srv.Close()

	const traceID, callerSpan = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
	for _, path := range []string{"GET /api/v1/accounts/acc-123?token=hush", "GET /healthz", "GET /nowhere", "POST /api/v1/transfers"} {
		method, path, _ := strings.Cut(path, " ")
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		req.Header.Set("User-Agent", "bankapp-test/1")
		req.Header.Set("traceparent", "00-"+traceID+"-"+callerSpan+"-01")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	srv.Close() // waits for the handlers, and so for their spans to end
	flush()

	s := rcv.WaitSpan(t, traceID, "GET /api/v1/accounts/{id}", 10*time.Second)
	if s.ParentSpanID != callerSpan || s.Kind != "server" || s.Status != "unset" {
		t.Errorf("request span = %+v", s)
	}
	host, _, _ := net.SplitHostPort(srv.Listener.Addr().String())
	wantAttrs := map[string]any{
		"http.route": "/api/v1/accounts/{id}", "http.response.status_code": int64(200), "http.request.method": "GET",
		"url.path": "/api/v1/accounts/acc-123", "url.scheme": "http", "server.address": host,
		"network.protocol.version": "1.1", "user_agent.original": "bankapp-test/1", "network.peer.address": "127.0.0.1",
	}
	if !maps.Equal(s.Attributes, wantAttrs) {
		t.Errorf("attributes %v\nwant %v", s.Attributes, wantAttrs)
	}
	failed := rcv.WaitSpan(t, traceID, "POST /api/v1/transfers", 10*time.Second)
	if failed.Status != "error" || failed.Attributes["http.response.status_code"] != int64(500) || failed.Attributes["error.type"] != "500" {
		t.Errorf("failed request span = %+v", failed)
	}
	got := otlptest.Tree(rcv.Trace(traceID))
	want := "GET /api/v1/accounts/{id} [server]\n  bank.Account [internal]\nGET [server]\nPOST /api/v1/transfers [server]\n"
	if got != want { // /healthz is not traced; the unmatched request keeps the bare method
		t.Errorf("tree:\n%s\nwant:\n%s", got, want)
	}
	for _, sp := range rcv.Spans() {
		if text := fmt.Sprint(sp); strings.Contains(text, "hush") {
			t.Errorf("the query string was recorded: %s", text)
		}
	}

	// The access log line carries the ids of the request's span.
	var logged []map[string]any
	logs.mu.Lock()
	logged = lines(t, &logs.Buffer)
	logs.mu.Unlock()
	if len(logged) != 4 {
		t.Fatalf("%d log lines", len(logged))
	}
	if logged[0]["trace_id"] != traceID || logged[0]["span_id"] != s.SpanID {
		t.Errorf("access log = %v, want trace %s span %s", logged[0], traceID, s.SpanID)
	}
	if _, ok := logged[1]["trace_id"]; ok {
		t.Errorf("untraced /healthz logged ids: %v", logged[1])
	}
}

// TestHTTPHandlerUnsampled: an unsampled request continues the caller's
// trace id (the access log still has it) and records nothing.
func TestHTTPHandlerUnsampled(t *testing.T) {
	rcv := otlptest.NewHTTP(t)
	tp, flush := startTracing(t, rcv, nil) // parentbased_always_on: an unsampled caller is followed
	var logs syncBuffer
	mux := http.NewServeMux()
	var recording bool
	mux.HandleFunc("GET /x", func(w http.ResponseWriter, r *http.Request) {
		recording = trace.SpanFromContext(r.Context()).IsRecording()
	})
	srv := httptest.NewServer(server(tp, telemetry.NewLogger(&logs, "info", "json"), mux))
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/x", nil)
	req.Header.Set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	srv.Close()
	flush()
	if recording || len(rcv.Spans()) != 0 {
		t.Errorf("recording %v, spans %v", recording, rcv.Spans())
	}
	logs.mu.Lock()
	defer logs.mu.Unlock()
	if l := lines(t, &logs.Buffer); l[0]["trace_id"] != "4bf92f3577b34da6a3ce929d0e0e4736" {
		t.Errorf("log %v", l[0])
	}
}

func TestRouteSpanWithoutARecordingSpan(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "/x", nil)
	r.Pattern = "GET /x"
	telemetry.RouteSpan(r) // no span: nothing to do, no panic
}

func TestTransportTracesWithoutPropagating(t *testing.T) {
	var seen http.Header
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = r.Header.Clone()
		_, _ = w.Write([]byte(`{"price":"1.00"}`))
	}))
	defer upstream.Close()
	rcv := otlptest.NewHTTP(t)
	tp, flush := startTracing(t, rcv, nil)

	ctx, parent := tp.Tracer("test").Start(context.Background(), "market.refresh")
	client := &http.Client{Transport: telemetry.Transport(nil, tp)}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, upstream.URL+"/v8/finance/chart/AAPL?range=1d", nil)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	parent.End()
	flush()

	if v := seen.Get("traceparent") + seen.Get("tracestate") + seen.Get("baggage"); v != "" {
		t.Errorf("trace context sent to a third party: %v", seen)
	}
	host := upstream.Listener.Addr().String()
	traceID := parent.SpanContext().TraceID().String()
	s := rcv.WaitSpan(t, traceID, "GET "+host, 10*time.Second)
	if s.Kind != "client" || s.ParentSpanID != parent.SpanContext().SpanID().String() {
		t.Errorf("client span = %+v", s)
	}
}
