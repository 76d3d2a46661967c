// Package otlptest is an in-process OTLP trace receiver for tests: point
// OTEL_EXPORTER_OTLP_ENDPOINT at Endpoint(), run the code under test, then
// wait for the spans it should have exported.
//
//	rcv := otlptest.NewHTTP(t)
//	tp, shutdown, err := telemetry.StartTracing(ctx, rcv.Getenv(nil), "test")
//	…
//	rcv.WaitSpan(t, traceID, "POST /api/v1/transfers", 30*time.Second)
//	spans := rcv.Trace(traceID)
//
// NewHTTP speaks OTLP/HTTP (POST /v1/traces, protobuf, optionally gzip);
// NewGRPC speaks OTLP/gRPC. OTLP/JSON is answered 415: the Go exporter
// never sends it.
package otlptest

import (
	"context"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

// Span is one received span, flattened. Ids are lower-case hex, as
// trace.TraceID.String() and trace.SpanID.String() print them.
type Span struct {
	Name         string
	TraceID      string
	SpanID       string
	ParentSpanID string // "" for a root span
	Kind         string // "internal", "server", "client", "producer", "consumer", or "unspecified"
	Attributes   map[string]any
	Links        []Link
	Status       string // "unset", "ok" or "error"
	StatusMsg    string
	Start, End   time.Time
	Scope        string         // instrumentation scope name
	Resource     map[string]any // e.g. service.name
}

// Link is a span's link to another span.
type Link struct {
	TraceID    string
	SpanID     string
	Attributes map[string]any
}

// Receiver keeps every span it has received.
type Receiver struct {
	endpoint string
	protocol string

	mu       sync.Mutex
	spans    []Span
	requests []map[string][]string // headers (HTTP) or metadata (gRPC) of each export
	changed  chan struct{}         // closed and replaced whenever spans arrive
}

func newReceiver(endpoint, protocol string) *Receiver {
	return &Receiver{endpoint: endpoint, protocol: protocol, changed: make(chan struct{})}
}

// Endpoint is the value for OTEL_EXPORTER_OTLP_ENDPOINT: a base URL such as
// http://127.0.0.1:41234.
func (r *Receiver) Endpoint() string { return r.endpoint }

// Protocol is the value for OTEL_EXPORTER_OTLP_PROTOCOL.
func (r *Receiver) Protocol() string { return r.protocol }

// Getenv returns a getenv that sets OTEL_EXPORTER_OTLP_ENDPOINT and
// OTEL_EXPORTER_OTLP_PROTOCOL to this receiver's and otherwise asks
// fallback (which may be nil).
func (r *Receiver) Getenv(fallback func(string) string) func(string) string {
	return func(k string) string {
		switch k {
		case "OTEL_EXPORTER_OTLP_ENDPOINT":
			return r.endpoint
		case "OTEL_EXPORTER_OTLP_PROTOCOL":
			return r.protocol
		}
		if fallback == nil {
			return ""
		}
		return fallback(k)
	}
}

// Spans returns a copy of every span received so far, in arrival order.
func (r *Receiver) Spans() []Span {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.spans)
}

// Requests returns the headers (OTLP/HTTP, canonical names) or metadata
// (gRPC, lower-case names) of each export request received so far.
func (r *Receiver) Requests() []map[string][]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.requests)
}

// Trace returns the received spans of one trace, ordered by start time.
func (r *Receiver) Trace(traceID string) []Span {
	var out []Span
	for _, s := range r.Spans() {
		if s.TraceID == traceID {
			out = append(out, s)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out
}

// Wait blocks until cond holds for the spans received so far (checked on
// each arrival) or ctx ends, and returns those spans.
func (r *Receiver) Wait(ctx context.Context, cond func([]Span) bool) ([]Span, error) {
	for {
		r.mu.Lock()
		spans, changed := slices.Clone(r.spans), r.changed
		r.mu.Unlock()
		if cond(spans) {
			return spans, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return spans, ctx.Err()
		}
	}
}

// WaitSpan waits up to timeout for a span named name in trace traceID and
// returns it; it fails the test, listing what did arrive, on time-out.
func (r *Receiver) WaitSpan(t testing.TB, traceID, name string, timeout time.Duration) Span {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var found Span
	spans, err := r.Wait(ctx, func(spans []Span) bool {
		for _, s := range spans {
			if s.TraceID == traceID && s.Name == name {
				found = s
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatalf("otlptest: no span %q in trace %s after %s; received:\n%s", name, traceID, timeout, Tree(spans))
	}
	return found
}

// Tree prints spans as an indented tree, one "name [kind]" line each,
// children under their parent in start order; a span whose parent is not
// among spans is a root. Handy in assertions and failure messages.
func Tree(spans []Span) string {
	spans = slices.Clone(spans)
	sort.SliceStable(spans, func(i, j int) bool { return spans[i].Start.Before(spans[j].Start) })
	byID := map[string]bool{}
	for _, s := range spans {
		byID[s.TraceID+"/"+s.SpanID] = true
	}
	children := map[string][]Span{}
	var roots []Span
	for _, s := range spans {
		if s.ParentSpanID != "" && byID[s.TraceID+"/"+s.ParentSpanID] {
			children[s.TraceID+"/"+s.ParentSpanID] = append(children[s.TraceID+"/"+s.ParentSpanID], s)
		} else {
			roots = append(roots, s)
		}
	}
	var b strings.Builder
	var walk func(s Span, depth int)
	walk = func(s Span, depth int) {
		fmt.Fprintf(&b, "%s%s [%s]\n", strings.Repeat("  ", depth), s.Name, s.Kind)
		for _, c := range children[s.TraceID+"/"+s.SpanID] {
			walk(c, depth+1)
		}
	}
	for _, s := range roots {
		walk(s, 0)
	}
	return b.String()
}

func (r *Receiver) add(req *coltracepb.ExportTraceServiceRequest, headers map[string][]string) {
	var spans []Span
	for _, rs := range req.GetResourceSpans() {
		res := attrs(rs.GetResource().GetAttributes())
		for _, ss := range rs.GetScopeSpans() {
			for _, s := range ss.GetSpans() {
				spans = append(spans, convert(s, ss.GetScope().GetName(), res))
			}
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests = append(r.requests, headers)
	r.spans = append(r.spans, spans...)
	close(r.changed)
	r.changed = make(chan struct{})
}

func convert(s *tracepb.Span, scope string, res map[string]any) Span {
	out := Span{
		Name:         s.GetName(),
		TraceID:      hex.EncodeToString(s.GetTraceId()),
		SpanID:       hex.EncodeToString(s.GetSpanId()),
		ParentSpanID: hex.EncodeToString(s.GetParentSpanId()),
		Kind:         strings.ToLower(strings.TrimPrefix(s.GetKind().String(), "SPAN_KIND_")),
		Attributes:   attrs(s.GetAttributes()),
		Status:       strings.ToLower(strings.TrimPrefix(s.GetStatus().GetCode().String(), "STATUS_CODE_")),
		StatusMsg:    s.GetStatus().GetMessage(),
		Start:        unixNano(s.GetStartTimeUnixNano()),
		End:          unixNano(s.GetEndTimeUnixNano()),
		Scope:        scope,
		Resource:     res,
	}
	for _, l := range s.GetLinks() {
		out.Links = append(out.Links, Link{
			TraceID:    hex.EncodeToString(l.GetTraceId()),
			SpanID:     hex.EncodeToString(l.GetSpanId()),
			Attributes: attrs(l.GetAttributes()),
		})
	}
	return out
}

// unixNano reads an OTLP timestamp; one past 2262 is clamped.
func unixNano(n uint64) time.Time {
	if n > math.MaxInt64 {
		n = math.MaxInt64
	}
	return time.Unix(0, int64(n))
}

func attrs(kvs []*commonpb.KeyValue) map[string]any {
	out := make(map[string]any, len(kvs))
	for _, kv := range kvs {
		out[kv.GetKey()] = value(kv.GetValue())
	}
	return out
}

// value turns an attribute value into string, bool, int64, float64, []byte,
// []any or map[string]any.
func value(v *commonpb.AnyValue) any {
	switch x := v.GetValue().(type) {
	case *commonpb.AnyValue_StringValue:
		return x.StringValue
	case *commonpb.AnyValue_BoolValue:
		return x.BoolValue
	case *commonpb.AnyValue_IntValue:
		return x.IntValue
	case *commonpb.AnyValue_DoubleValue:
		return x.DoubleValue
	case *commonpb.AnyValue_BytesValue:
		return x.BytesValue
	case *commonpb.AnyValue_ArrayValue:
		var out []any
		for _, e := range x.ArrayValue.GetValues() {
			out = append(out, value(e))
		}
		return out
	case *commonpb.AnyValue_KvlistValue:
		return attrs(x.KvlistValue.GetValues())
	}
	return nil
}
