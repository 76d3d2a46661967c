package telemetry

import (
	"context"
	"log/slog"

	"go.opentelemetry.io/otel/trace"
)

// WithTrace wraps h so that every record logged with a context that carries
// a valid span context gets trace_id and span_id attributes (lower-case hex,
// as in traceparent and in X-Ray's converted ids). Log with the request's
// context (InfoContext, LogAttrs(ctx, …)) for them to appear. A record
// without one passes through untouched, at the cost of one context lookup.
//
// The attributes go where the record's own attributes go: inside the
// groups opened with WithGroup, if any.
func WithTrace(h slog.Handler) slog.Handler {
	if _, ok := h.(traceHandler); ok {
		return h
	}
	return traceHandler{h}
}

type traceHandler struct{ slog.Handler }

func (h traceHandler) Handle(ctx context.Context, r slog.Record) error {
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		// Clone: r may share its attribute storage with the caller's copy.
		r = r.Clone()
		r.AddAttrs(slog.String("trace_id", sc.TraceID().String()), slog.String("span_id", sc.SpanID().String()))
	}
	return h.Handler.Handle(ctx, r)
}

func (h traceHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return traceHandler{h.Handler.WithAttrs(attrs)}
}

func (h traceHandler) WithGroup(name string) slog.Handler {
	return traceHandler{h.Handler.WithGroup(name)}
}
