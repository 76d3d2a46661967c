package telemetry_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/trace"

	"github.com/bankapp/bankapp/internal/telemetry"
)

func lines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

func TestWithTraceAddsTheSpanIDs(t *testing.T) {
	sc := trace.NewSpanContext(trace.SpanContextConfig{
		TraceID:    trace.TraceID{0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6, 0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36},
		SpanID:     trace.SpanID{0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7},
		TraceFlags: trace.FlagsSampled,
	})
	traced := trace.ContextWithSpanContext(context.Background(), sc)
	invalid := trace.ContextWithSpanContext(context.Background(), trace.SpanContext{})

	var buf bytes.Buffer
	log := telemetry.NewLogger(&buf, "info", "json").With("app", "bankapp")
	log.InfoContext(traced, "request", "route", "GET /api/v1/me")
	log.InfoContext(context.Background(), "no span")
	log.InfoContext(invalid, "invalid span")
	log.Info("no context")
	log.WithGroup("g").InfoContext(traced, "grouped")

	got := lines(t, &buf)
	if len(got) != 5 {
		t.Fatalf("%d lines", len(got))
	}
	if got[0]["trace_id"] != "4bf92f3577b34da6a3ce929d0e0e4736" || got[0]["span_id"] != "00f067aa0ba902b7" ||
		got[0]["route"] != "GET /api/v1/me" || got[0]["app"] != "bankapp" {
		t.Errorf("traced line = %v", got[0])
	}
	for _, l := range got[1:4] {
		if _, ok := l["trace_id"]; ok {
			t.Errorf("line without a valid span got ids: %v", l)
		}
		if _, ok := l["span_id"]; ok {
			t.Errorf("line without a valid span got ids: %v", l)
		}
	}
	g, _ := got[4]["g"].(map[string]any)
	if g["trace_id"] != "4bf92f3577b34da6a3ce929d0e0e4736" {
		t.Errorf("grouped line = %v", got[4])
	}
}

func TestWithTraceDoesNotDisturbTheCallersRecord(t *testing.T) {
	sc := trace.NewSpanContext(trace.SpanContextConfig{TraceID: trace.TraceID{1}, SpanID: trace.SpanID{2}})
	ctx := trace.ContextWithSpanContext(context.Background(), sc)
	var buf bytes.Buffer
	h := telemetry.WithTrace(slog.NewJSONHandler(&buf, nil))
	if telemetry.WithTrace(h) != h {
		t.Error("WithTrace wrapped twice")
	}
	// Ten attributes added one by one leave spare room in the record's
	// overflow storage, which copies of the record share: a handler that
	// appended to its copy in place would write into the caller's (slog
	// then reports "!BUG").
	r := slog.NewRecord(time.Time{}, slog.LevelInfo, "m", 0)
	for i := range 10 {
		r.AddAttrs(slog.Int(fmt.Sprint("a", i), i))
	}
	for range 2 { // a fan-out handler passes one record on twice
		if err := h.Handle(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	out := lines(t, &buf)
	for _, l := range out {
		if _, bug := l["!BUG"]; bug || l["trace_id"] != "01000000000000000000000000000000" || l["a9"] != float64(9) {
			t.Errorf("line %v", l)
		}
	}
	if r.NumAttrs() != 10 {
		t.Errorf("the caller's record has %d attributes", r.NumAttrs())
	}
}
