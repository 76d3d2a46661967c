package telemetry

import (
	"net"
	"net/http"
	"strconv"
	"strings"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// untracedPaths are probes and scrapes: a span each would be noise.
var untracedPaths = map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true}

// HTTPHandler gives each request a server span that continues the caller's
// W3C traceparent, and puts the span in the request context so that the
// access log line gets trace_id and span_id. Wrap it outside the
// access-log middleware, and call RouteSpan once the request has been
// routed so the span is named by route pattern ("GET /api/v1/accounts/{id}").
// Probes (/healthz, /readyz, /metrics) are not traced.
//
// A request whose span is not sampled pays for reading traceparent and
// starting a non-recording span, and nothing else: the attributes
// (http.request.method, url.path, url.scheme, server.address,
// network.protocol.version, user_agent.original, network.peer.address,
// http.response.status_code) are only computed for sampled requests. (This
// is otelhttp's server span without its per-request cost on the 95 % of
// requests that production does not sample; see BenchmarkRequest.) The
// query string is never recorded.
//
// With tracing off (Enabled(tp) is false) it returns next itself: the
// request path does not change at all.
func HTTPHandler(next http.Handler, tp trace.TracerProvider) http.Handler {
	if !Enabled(tp) {
		return next
	}
	return &serverTracing{next: next, tracer: tp.Tracer(TracerName), prop: Propagator()}
}

type serverTracing struct {
	next   http.Handler
	tracer trace.Tracer
	prop   propagation.TextMapPropagator
}

func (h *serverTracing) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if untracedPaths[r.URL.Path] {
		h.next.ServeHTTP(w, r)
		return
	}
	ctx := h.prop.Extract(r.Context(), propagation.HeaderCarrier(r.Header))
	ctx, span := h.tracer.Start(ctx, spanMethod(r.Method), trace.WithSpanKind(trace.SpanKindServer))
	defer span.End()
	r = r.WithContext(ctx)
	if !span.IsRecording() {
		h.next.ServeHTTP(w, r)
		return
	}
	span.SetAttributes(requestAttrs(r)...)
	sw := &statusRecorder{ResponseWriter: w}
	h.next.ServeHTTP(sw, r)
	status := sw.status
	if status == 0 {
		status = http.StatusOK
	}
	span.SetAttributes(semconv.HTTPResponseStatusCode(status))
	if status >= 500 { // a 4xx is the client's error, not the server's (semantic conventions)
		span.SetAttributes(semconv.ErrorTypeKey.String(strconv.Itoa(status)))
		span.SetStatus(codes.Error, "")
	}
}

// spanMethod is the span's name until RouteSpan names it by route.
func spanMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodConnect, http.MethodOptions, http.MethodTrace:
		return m
	}
	return "HTTP" // not a client-chosen string: span names stay few
}

func requestAttrs(r *http.Request) []attribute.KeyValue {
	attrs := make([]attribute.KeyValue, 0, 8)
	method := spanMethod(r.Method)
	if method == "HTTP" {
		method = "_OTHER"
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	attrs = append(attrs, semconv.HTTPRequestMethodKey.String(method), semconv.URLPath(r.URL.Path), semconv.URLScheme(scheme))
	if host, _, err := net.SplitHostPort(r.Host); err == nil {
		attrs = append(attrs, semconv.ServerAddress(host))
	} else if r.Host != "" {
		attrs = append(attrs, semconv.ServerAddress(r.Host))
	}
	if _, v, ok := strings.Cut(r.Proto, "/"); ok {
		attrs = append(attrs, semconv.NetworkProtocolVersion(v))
	}
	if ua := r.UserAgent(); ua != "" {
		attrs = append(attrs, semconv.UserAgentOriginal(ua))
	}
	if peer, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		attrs = append(attrs, semconv.NetworkPeerAddress(peer))
	}
	return attrs
}

// statusRecorder notes the response status of a sampled request. Unwrap
// lets http.ResponseController reach Flush and the rest underneath.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// RouteSpan names the request's span "METHOD /route/{pattern}" and sets
// http.route, from r.Pattern. Call it after the ServeMux has routed r (in
// the access-log middleware, after next.ServeHTTP, with the request the mux
// saw: a middleware that copies the request with WithContext hides the
// pattern from the ones outside it). A request that matched no route keeps
// the name "METHOD". It costs nothing when the span is not
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
