package telemetry_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/bankapp/bankapp/internal/telemetry"
)

func TestStartChild(t *testing.T) {
	rec, tr := recorder(t)
	ctx := context.Background()
	got, end := telemetry.StartChild(ctx, "mail.send", trace.SpanKindClient)
	end(errors.New("x"))
	if got != ctx || len(rec.Started()) != 0 {
		t.Fatal("a span without a recording parent")
	}

	ctx, parent := tr.Start(context.Background(), "job.mail_send")
	_, end = telemetry.StartChild(ctx, "mail.send", trace.SpanKindClient, attribute.String("bankapp.mail.kind", "reset"))
	end(fmt.Errorf("mail: 550 for jane@example.com: %w", errors.New("rejected")))
	parent.End()
	spans := rec.Ended()
	if len(spans) != 2 {
		t.Fatalf("%d spans", len(spans))
	}
	s := spans[0]
	if s.Name() != "mail.send" || s.SpanKind() != trace.SpanKindClient || s.Parent().SpanID() != parent.SpanContext().SpanID() {
		t.Errorf("span %q kind %v parent %v", s.Name(), s.SpanKind(), s.Parent().SpanID())
	}
	if s.Status().Code != codes.Error || s.Status().Description != "*errors.errorString" {
		t.Errorf("status %v %q: want the error's type, never its text", s.Status().Code, s.Status().Description)
	}
	if len(s.Attributes()) != 2 { // the kind, and error.type
		t.Errorf("attributes %v", s.Attributes())
	}
}
