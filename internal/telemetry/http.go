package telemetry

import (
	"net/http"
	"strings"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// untracedPaths are probes and scrapes: a span each would be noise.
var untracedPaths = map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true}

// HTTPHandler gives each request a server span (otelhttp) that continues
// the caller's W3C traceparent, and puts the span in the request context so
// that the access log line gets trace_id and span_id. Wrap it outside the
// access-log middleware. Call RouteSpan once the request has been routed so
// the span is named by route pattern. Probes (/healthz, /readyz, /metrics)
// are not traced. Metrics stay with Prometheus (otelhttp's are turned off).
//
// With tracing off (Enabled(tp) is false) it returns next itself: the
// request path does not change at all.
func HTTPHandler(next http.Handler, tp trace.TracerProvider) http.Handler {
	if !Enabled(tp) {
		return next
	}
	return otelhttp.NewHandler(next, "http.server",
		otelhttp.WithTracerProvider(tp),
		otelhttp.WithPropagators(Propagator()),
		otelhttp.WithMeterProvider(metricnoop.NewMeterProvider()),
		otelhttp.WithFilter(func(r *http.Request) bool { return !untracedPaths[r.URL.Path] }),
	)
}

// RouteSpan names the request's span "METHOD /route/{pattern}" and sets
// http.route, from r.Pattern. Call it after the ServeMux has routed r (in
// the access-log middleware, after next.ServeHTTP, with the request the mux
// saw): otelhttp cannot see the pattern when a middleware between it and
// the mux copies the request with WithContext. A request that matched no
// route keeps the name "METHOD". It costs nothing when the span is not
// recording (tracing off, or not sampled).
func RouteSpan(r *http.Request) {
	span := trace.SpanFromContext(r.Context())
	if !span.IsRecording() || r.Pattern == "" {
		return
	}
	route := r.Pattern
	if i := strings.IndexByte(route, '/'); i >= 0 {
		route = route[i:] // drop "METHOD " and any host
	}
	span.SetName(r.Method + " " + route)
	span.SetAttributes(semconv.HTTPRoute(route))
}

// Transport traces outbound calls (market data, FX): one client span per
// request, named "METHOD host". Its url.full attribute is the URL with any
// user:password redacted, so API keys belong in headers (as the CoinGecko
// client sends them), never in the query. It does not send traceparent or baggage to the third
// party: their traces are not ours, and our trace ids are not theirs to
// see. With tracing off it returns base itself (nil base means
// http.DefaultTransport).
func Transport(base http.RoundTripper, tp trace.TracerProvider) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	if !Enabled(tp) {
		return base
	}
	return otelhttp.NewTransport(base,
		otelhttp.WithTracerProvider(tp),
		otelhttp.WithPropagators(propagation.NewCompositeTextMapPropagator()),
		otelhttp.WithMeterProvider(metricnoop.NewMeterProvider()),
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string { return r.Method + " " + r.URL.Host }),
	)
}
