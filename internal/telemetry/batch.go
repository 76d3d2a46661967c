package telemetry

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

// BatchSizeKey is the number of requests a group-commit batch carries.
const BatchSizeKey = attribute.Key("bankapp.batch.size")

// StartBatch starts the span of one group-commit batch: one database
// transaction doing the work of several requests, whose contexts are
// members. It is for the worker that runs the batch with its own ctx (the
// returned context derives from ctx, not from a request, so a client that
// goes away cancels nothing).
//
// The span is a child of the first member whose span is recording, so a
// sampled transfer's trace reads request → batch → SQL; it links to every
// recording member's span, and each of those gets a link back to the
// batch, so the other requests find it too. BatchSizeKey holds
// len(members).
//
// When no member's span is recording (tracing off, none sampled) it returns
// ctx and a span that does nothing: nothing is allocated per batch.
func StartBatch(ctx context.Context, name string, members []context.Context) (context.Context, trace.Span) {
	var parent trace.Span
	n := 0
	for _, m := range members {
		if s := trace.SpanFromContext(m); s.IsRecording() {
			if parent == nil {
				parent = s
			}
			n++
		}
	}
	if parent == nil {
		return ctx, trace.SpanFromContext(context.Background())
	}
	links := make([]trace.Link, 0, n)
	for _, m := range members {
		if s := trace.SpanFromContext(m); s.IsRecording() {
			links = append(links, trace.Link{SpanContext: s.SpanContext()})
		}
	}
	ctx, span := parent.TracerProvider().Tracer(TracerName).Start(trace.ContextWithSpan(ctx, parent), name,
		trace.WithLinks(links...), trace.WithAttributes(BatchSizeKey.Int(len(members))))
	back := trace.Link{SpanContext: span.SpanContext()}
	for _, m := range members {
		if s := trace.SpanFromContext(m); s.IsRecording() {
			s.AddLink(back)
		}
	}
	return ctx, span
}
