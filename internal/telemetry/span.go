package telemetry

import (
	"context"
	"slices"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

// StartChild starts a span named name, of kind, under ctx's span, with
// attrs: for work done on behalf of a request or job (a mail delivery).
// Like StartDBSpan it makes a span only when ctx's span is recording, so
// it never starts a lone root span and costs one context lookup when
// tracing is off or the trace is not sampled. Call the returned function
// with the work's error; it ends the span, marking it failed by the
// error's kind (SQLSTATE, Go type), never its text.
func StartChild(ctx context.Context, name string, kind trace.SpanKind, attrs ...attribute.KeyValue) (context.Context, func(error)) {
	parent := trace.SpanFromContext(ctx)
	if !parent.IsRecording() {
		return ctx, endNothing
	}
	ctx, span := parent.TracerProvider().Tracer(TracerName).Start(ctx, name,
		trace.WithSpanKind(kind), trace.WithAttributes(slices.Clone(attrs)...))
	return ctx, func(err error) { endSpan(span, err) }
}
