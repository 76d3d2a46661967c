package otlptest_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/bankapp/bankapp/internal/telemetry/otlptest"
)

func str(k, v string) *commonpb.KeyValue {
	return &commonpb.KeyValue{Key: k, Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: v}}}
}

func request() *coltracepb.ExportTraceServiceRequest {
	tid := bytes.Repeat([]byte{0xab}, 16)
	return &coltracepb.ExportTraceServiceRequest{ResourceSpans: []*tracepb.ResourceSpans{{
		Resource: &resourcepb.Resource{Attributes: []*commonpb.KeyValue{str("service.name", "bankapp")}},
		ScopeSpans: []*tracepb.ScopeSpans{{
			Scope: &commonpb.InstrumentationScope{Name: "scope"},
			Spans: []*tracepb.Span{
				{TraceId: tid, SpanId: []byte{1, 1, 1, 1, 1, 1, 1, 1}, Name: "root", Kind: tracepb.Span_SPAN_KIND_SERVER, StartTimeUnixNano: 1},
				{TraceId: tid, SpanId: []byte{2, 2, 2, 2, 2, 2, 2, 2}, ParentSpanId: []byte{1, 1, 1, 1, 1, 1, 1, 1}, Name: "child",
					Kind: tracepb.Span_SPAN_KIND_CLIENT, StartTimeUnixNano: 2,
					Attributes: []*commonpb.KeyValue{
						str("s", "v"),
						{Key: "n", Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_IntValue{IntValue: 7}}},
						{Key: "a", Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_ArrayValue{ArrayValue: &commonpb.ArrayValue{
							Values: []*commonpb.AnyValue{{Value: &commonpb.AnyValue_BoolValue{BoolValue: true}}}}}}},
					},
					Links:  []*tracepb.Span_Link{{TraceId: tid, SpanId: []byte{3, 3, 3, 3, 3, 3, 3, 3}, Attributes: []*commonpb.KeyValue{str("l", "1")}}},
					Status: &tracepb.Status{Code: tracepb.Status_STATUS_CODE_ERROR, Message: "SQLSTATE 23505"},
				},
			},
		}},
	}}}
}

func post(t *testing.T, url, contentType string, gz bool, body []byte) int {
	t.Helper()
	if gz {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		_, _ = zw.Write(body)
		_ = zw.Close()
		body = b.Bytes()
	}
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	if gz {
		req.Header.Set("Content-Encoding", "gzip")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestHTTPReceiverDecodesSpans(t *testing.T) {
	rcv := otlptest.NewHTTP(t)
	raw, err := proto.Marshal(request())
	if err != nil {
		t.Fatal(err)
	}
	if got := post(t, rcv.Endpoint()+"/v1/metrics", "application/x-protobuf", false, raw); got != http.StatusNotFound {
		t.Errorf("metrics path: %d", got)
	}
	if got := post(t, rcv.Endpoint()+"/v1/traces", "application/json", false, []byte("{}")); got != http.StatusUnsupportedMediaType {
		t.Errorf("JSON: %d", got)
	}
	if n := len(rcv.Spans()); n != 0 {
		t.Fatalf("%d spans from refused requests", n)
	}
	if got := post(t, rcv.Endpoint()+"/v1/traces", "application/x-protobuf", true, raw); got != http.StatusOK {
		t.Fatalf("gzip protobuf: %d", got)
	}

	tid := "abababababababababababababababab"
	child := rcv.WaitSpan(t, tid, "child", 5*time.Second)
	if child.ParentSpanID != "0101010101010101" || child.SpanID != "0202020202020202" || child.Kind != "client" ||
		child.Attributes["s"] != "v" || child.Attributes["n"] != int64(7) || child.Status != "error" || child.StatusMsg != "SQLSTATE 23505" ||
		child.Scope != "scope" || child.Resource["service.name"] != "bankapp" {
		t.Errorf("child = %+v", child)
	}
	if a, _ := child.Attributes["a"].([]any); len(a) != 1 || a[0] != true {
		t.Errorf("array attribute = %#v", child.Attributes["a"])
	}
	if len(child.Links) != 1 || child.Links[0].SpanID != "0303030303030303" || child.Links[0].Attributes["l"] != "1" {
		t.Errorf("links = %+v", child.Links)
	}
	if got := otlptest.Tree(rcv.Trace(tid)); got != "root [server]\n  child [client]\n" {
		t.Errorf("tree:\n%s", got)
	}
}

func TestWaitEndsAtTheDeadline(t *testing.T) {
	rcv := otlptest.NewHTTP(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := rcv.Wait(ctx, func(s []otlptest.Span) bool { return len(s) > 0 }); !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait = %v", err)
	}
}

// TestWaitWakesOnArrival: a waiter blocked before the spans arrive is
// woken by their arrival, not by polling.
func TestWaitWakesOnArrival(t *testing.T) {
	rcv := otlptest.NewHTTP(t)
	raw, _ := proto.Marshal(request())
	waiting := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		first := true
		_, err := rcv.Wait(ctx, func(s []otlptest.Span) bool {
			if first {
				first = false
				close(waiting)
			}
			return len(s) == 2
		})
		done <- err
	}()
	<-waiting
	if got := post(t, rcv.Endpoint()+"/v1/traces", "application/x-protobuf", false, raw); got != http.StatusOK {
		t.Fatalf("post: %d", got)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
