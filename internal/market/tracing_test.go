package market_test

import (
	"context"
	"strings"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/bankapp/bankapp/internal/market"
)

// TestUpstreamCallsAreTraced: with a tracer provider, each call to Yahoo,
// CoinGecko (and Yahoo's FX rates) is a client span "GET <host>" under the
// span of the request that needed it; no traceparent goes upstream, and
// the API key (a header) appears in no span.
func TestUpstreamCallsAreTraced(t *testing.T) {
	f, clk := newFakeUpstreams(t), newClock()
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	s, _ := newLive(t, f, clk, func(o *market.Options) { o.TracerProvider = tp })

	ctx, parent := tp.Tracer("test").Start(context.Background(), "GET /api/v1/market/quotes")
	if _, err := s.Quotes(ctx, []string{"AAPL", "BTC-USD"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FXRates(ctx); err != nil {
		t.Fatal(err)
	}
	parent.End()

	host := strings.TrimPrefix(f.srv.URL, "http://")
	var calls int
	for _, sp := range rec.Ended() {
		if sp.Name() == "GET /api/v1/market/quotes" {
			continue
		}
		calls++
		if sp.Name() != "GET "+host || sp.Parent().SpanID() != parent.SpanContext().SpanID() || sp.SpanKind().String() != "client" {
			t.Errorf("span %q kind %s parent %s, want a client span GET %s under the request", sp.Name(), sp.SpanKind(), sp.Parent().SpanID(), host)
		}
		for _, a := range sp.Attributes() {
			if strings.Contains(a.Value.Emit(), "demo-key") {
				t.Errorf("span %s attribute %s holds the API key", sp.Name(), a.Key)
			}
		}
	}
	reqs := f.take()
	if calls != len(reqs) || calls < 3 {
		t.Errorf("%d client spans for %d upstream requests (want one each, at least 3)", calls, len(reqs))
	}
	for _, r := range reqs {
		if r.Header.Get("traceparent") != "" || r.Header.Get("baggage") != "" {
			t.Errorf("%s went upstream with our trace context", r.URL)
		}
	}
}
