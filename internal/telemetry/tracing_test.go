package telemetry_test

import (
	"context"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/bankapp/bankapp/internal/telemetry"
	"github.com/bankapp/bankapp/internal/telemetry/otlptest"
)

func env(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

func TestValidateTracingEnvNamesTheVariable(t *testing.T) {
	const secret = "s3cr3t-token"
	cases := []struct {
		env  map[string]string
		want string // the variable the error must name
	}{
		{map[string]string{"OTEL_EXPORTER_OTLP_PROTOCOL": "thrift"}, "OTEL_EXPORTER_OTLP_PROTOCOL"},
		{map[string]string{"OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"}, "OTEL_EXPORTER_OTLP_PROTOCOL"},
		{map[string]string{"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "udp"}, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"},
		{map[string]string{"OTEL_TRACES_SAMPLER": "sometimes"}, "OTEL_TRACES_SAMPLER"},
		{map[string]string{"OTEL_TRACES_SAMPLER": "xray"}, "OTEL_TRACES_SAMPLER"},
		{map[string]string{"OTEL_TRACES_SAMPLER": "traceidratio", "OTEL_TRACES_SAMPLER_ARG": "1.5"}, "OTEL_TRACES_SAMPLER_ARG"},
		{map[string]string{"OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": "-0.1"}, "OTEL_TRACES_SAMPLER_ARG"},
		{map[string]string{"OTEL_TRACES_SAMPLER": "traceidratio", "OTEL_TRACES_SAMPLER_ARG": "NaN"}, "OTEL_TRACES_SAMPLER_ARG"},
		{map[string]string{"OTEL_TRACES_SAMPLER": "traceidratio", "OTEL_TRACES_SAMPLER_ARG": "ten percent"}, "OTEL_TRACES_SAMPLER_ARG"},
		{map[string]string{"OTEL_SDK_DISABLED": "yes"}, "OTEL_SDK_DISABLED"},
		{map[string]string{"OTEL_TRACES_EXPORTER": "jaeger"}, "OTEL_TRACES_EXPORTER"},
		{map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4318"}, "OTEL_EXPORTER_OTLP_ENDPOINT"},
		{map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "ftp://collector:4318"}, "OTEL_EXPORTER_OTLP_ENDPOINT"},
		{map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "https://user:" + secret + "@collector:4318"}, "OTEL_EXPORTER_OTLP_ENDPOINT"},
		{map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://"}, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"},
		{map[string]string{"OTEL_EXPORTER_OTLP_HEADERS": "x-api-key" + secret}, "OTEL_EXPORTER_OTLP_HEADERS"},
		{map[string]string{"OTEL_EXPORTER_OTLP_HEADERS": "x-api-key=%zz" + secret}, "OTEL_EXPORTER_OTLP_HEADERS"},
		{map[string]string{"OTEL_RESOURCE_ATTRIBUTES": "deployment.environment.name"}, "OTEL_RESOURCE_ATTRIBUTES"},
	}
	for _, c := range cases {
		errs := telemetry.ValidateTracingEnv(env(c.env))
		if len(errs) != 1 {
			t.Errorf("%v: %d errors %v, want 1", c.env, len(errs), errs)
			continue
		}
		var ee *telemetry.EnvError
		if e, ok := errs[0].(*telemetry.EnvError); ok {
			ee = e
		}
		if ee == nil || ee.Var != c.want || !strings.Contains(errs[0].Error(), c.want) {
			t.Errorf("%v: error %v, want one naming %s", c.env, errs[0], c.want)
		}
		if strings.Contains(errs[0].Error(), secret) {
			t.Errorf("%v: error leaks the value: %v", c.env, errs[0])
		}
		// StartTracing refuses the same values.
		if _, _, err := telemetry.StartTracing(context.Background(), env(c.env), "test"); err == nil {
			t.Errorf("%v: StartTracing accepted it", c.env)
		}
	}

	// Every problem at once.
	all := map[string]string{"OTEL_TRACES_SAMPLER": "nope", "OTEL_EXPORTER_OTLP_PROTOCOL": "nope", "OTEL_SDK_DISABLED": "nope"}
	if errs := telemetry.ValidateTracingEnv(env(all)); len(errs) != 3 {
		t.Errorf("got %d errors, want 3: %v", len(errs), errs)
	}
}

func TestValidateTracingEnvAcceptsTheStandardValues(t *testing.T) {
	for _, e := range []map[string]string{
		{},
		{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://localhost:4318", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf"},
		{"OTEL_EXPORTER_OTLP_ENDPOINT": "https://collector.internal:4317", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"},
		{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://localhost:4318/custom/traces"},
		{"OTEL_TRACES_SAMPLER": "always_on"},
		{"OTEL_TRACES_SAMPLER": "ALWAYS_OFF"},
		{"OTEL_TRACES_SAMPLER": "traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0"},
		{"OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0.05"},
		{"OTEL_TRACES_SAMPLER": "parentbased_always_on"},
		{"OTEL_TRACES_SAMPLER": "parentbased_always_off"},
		{"OTEL_TRACES_SAMPLER": "always_on", "OTEL_TRACES_SAMPLER_ARG": "ignored by samplers without an argument"},
		{"OTEL_SDK_DISABLED": "TRUE"},
		{"OTEL_SDK_DISABLED": "false"},
		{"OTEL_TRACES_EXPORTER": "none"},
		{"OTEL_EXPORTER_OTLP_HEADERS": "x-api-key=abc%3D%3D,x-team=core"},
		{"OTEL_RESOURCE_ATTRIBUTES": "deployment.environment.name=prod,cloud.region=eu-west-1"},
		{"OTEL_SERVICE_NAME": "bankapp-worker"},
	} {
		if errs := telemetry.ValidateTracingEnv(env(e)); errs != nil {
			t.Errorf("%v: %v", e, errs)
		}
	}
}

func TestStartTracingOffIsTheNoopProvider(t *testing.T) {
	rcv := otlptest.NewHTTP(t)
	for name, e := range map[string]map[string]string{
		"no endpoint":      {"OTEL_TRACES_SAMPLER": "always_on"},
		"sdk disabled":     {"OTEL_EXPORTER_OTLP_ENDPOINT": rcv.Endpoint(), "OTEL_SDK_DISABLED": "true"},
		"exporter is none": {"OTEL_EXPORTER_OTLP_ENDPOINT": rcv.Endpoint(), "OTEL_TRACES_EXPORTER": "none"},
	} {
		t.Run(name, func(t *testing.T) {
			before := runtime.NumGoroutine()
			tp, shutdown, err := telemetry.StartTracing(context.Background(), env(e), "test")
			if err != nil {
				t.Fatal(err)
			}
			if after := runtime.NumGoroutine(); after > before {
				t.Errorf("goroutines %d -> %d: tracing off must start none", before, after)
			}
			if telemetry.Enabled(tp) {
				t.Errorf("Enabled(%T) = true", tp)
			}
			_, span := tp.Tracer("x").Start(context.Background(), "op")
			if span.IsRecording() || span.SpanContext().IsValid() {
				t.Error("the no-op provider made a real span")
			}
			span.End()
			mux := http.NewServeMux()
			if h := telemetry.HTTPHandler(mux, tp); h != http.Handler(mux) {
				t.Errorf("HTTPHandler wrapped the handler: %T", h)
			}
			base := &http.Transport{}
			if rt := telemetry.Transport(base, tp); rt != http.RoundTripper(base) {
				t.Errorf("Transport wrapped the transport: %T", rt)
			}
			if err := shutdown(context.Background()); err != nil {
				t.Fatal(err)
			}
		})
	}
	if n := len(rcv.Spans()) + len(rcv.Requests()); n != 0 {
		t.Errorf("the receiver got %d exports with tracing off", n)
	}
}

func TestStartTracingInstallsW3CPropagators(t *testing.T) {
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator())
	if _, _, err := telemetry.StartTracing(context.Background(), env(nil), "test"); err != nil {
		t.Fatal(err)
	}
	f := otel.GetTextMapPropagator().Fields()
	slices.Sort(f)
	if fields := strings.Join(f, ","); fields != "baggage,traceparent,tracestate" {
		t.Errorf("global propagator fields = %q", fields)
	}
}

// startTracing starts tracing against rcv with extra variables, and shuts it
// down at the end of the test.
func startTracing(t *testing.T, rcv *otlptest.Receiver, extra map[string]string) (trace.TracerProvider, func()) {
	t.Helper()
	tp, shutdown, err := telemetry.StartTracing(context.Background(), rcv.Getenv(env(extra)), "v1.2.3")
	if err != nil {
		t.Fatal(err)
	}
	if !telemetry.Enabled(tp) {
		t.Fatal("tracing is off")
	}
	var done bool
	flush := func() {
		if done {
			return
		}
		done = true
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	}
	t.Cleanup(flush)
	return tp, flush
}

func TestStartTracingExportsASpanTree(t *testing.T) {
	for _, proto := range []string{"http/protobuf", "grpc"} {
		t.Run(proto, func(t *testing.T) {
			rcv := otlptest.NewHTTP(t)
			if proto == "grpc" {
				rcv = otlptest.NewGRPC(t)
			}
			tp, flush := startTracing(t, rcv, map[string]string{
				"OTEL_SERVICE_NAME":          "bankapp-test",
				"OTEL_RESOURCE_ATTRIBUTES":   "service.name=ignored,deployment.environment.name=dev%2Cblue",
				"OTEL_EXPORTER_OTLP_HEADERS": "x-collector-token=t0ken",
			})
			tr := tp.Tracer("test")
			ctx, root := tr.Start(context.Background(), "POST /api/v1/transfers", trace.WithSpanKind(trace.SpanKindServer))
			_, other := tr.Start(context.Background(), "unrelated")
			other.End()
			bctx, batch := tr.Start(ctx, "groupcommit.batch", trace.WithLinks(trace.Link{SpanContext: other.SpanContext()}),
				trace.WithAttributes(attribute.Int("bankapp.batch.size", 3)))
			_, sql := tr.Start(bctx, "INSERT postings", trace.WithSpanKind(trace.SpanKindClient))
			sql.End()
			batch.End()
			root.End()
			flush()

			traceID := root.SpanContext().TraceID().String()
			rcv.WaitSpan(t, traceID, "POST /api/v1/transfers", 10*time.Second)
			got := otlptest.Tree(rcv.Trace(traceID))
			want := "POST /api/v1/transfers [server]\n  groupcommit.batch [internal]\n    INSERT postings [client]\n"
			if got != want {
				t.Errorf("tree:\n%s\nwant:\n%s", got, want)
			}
			for _, s := range rcv.Trace(traceID) {
				switch s.Name {
				case "POST /api/v1/transfers":
					if s.ParentSpanID != "" || s.SpanID != root.SpanContext().SpanID().String() {
						t.Errorf("root span ids: %+v", s)
					}
				case "groupcommit.batch":
					if len(s.Links) != 1 || s.Links[0].SpanID != other.SpanContext().SpanID().String() ||
						s.Links[0].TraceID != other.SpanContext().TraceID().String() {
						t.Errorf("batch links = %+v", s.Links)
					}
					if s.Attributes["bankapp.batch.size"] != int64(3) {
						t.Errorf("batch attributes = %v", s.Attributes)
					}
				}
				res := s.Resource
				if res["service.name"] != "bankapp-test" || res["service.version"] != "v1.2.3" ||
					res["deployment.environment.name"] != "dev,blue" || res["telemetry.sdk.language"] != "go" {
					t.Errorf("resource = %v", res)
				}
				if s.Scope != "test" {
					t.Errorf("scope = %q", s.Scope)
				}
			}
			reqs := rcv.Requests()
			if len(reqs) == 0 {
				t.Fatal("no export request")
			}
			key := "X-Collector-Token"
			if proto == "grpc" {
				key = "x-collector-token"
			}
			if v := reqs[0][key]; len(v) != 1 || v[0] != "t0ken" {
				t.Errorf("OTEL_EXPORTER_OTLP_HEADERS not sent: %v", reqs[0])
			}
		})
	}
}

// TestStartTracingExportsOnItsOwn checks the batch processor's own timer
// path (no flush), with the schedule delay shortened through the variable
// the processor reads from the process environment.
func TestStartTracingExportsOnItsOwn(t *testing.T) {
	t.Setenv("OTEL_BSP_SCHEDULE_DELAY", "20")
	rcv := otlptest.NewHTTP(t)
	tp, _ := startTracing(t, rcv, nil)
	_, span := tp.Tracer("test").Start(context.Background(), "job.interest")
	span.End()
	rcv.WaitSpan(t, span.SpanContext().TraceID().String(), "job.interest", 20*time.Second)
}

func TestStartTracingTracesEndpointIsUsedAsIs(t *testing.T) {
	rcv := otlptest.NewHTTP(t)
	tp, shutdown, err := telemetry.StartTracing(context.Background(), env(map[string]string{
		"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": rcv.Endpoint() + "/v1/traces",
		"OTEL_EXPORTER_OTLP_ENDPOINT":        "http://127.0.0.1:1", // the per-signal one wins
	}), "test")
	if err != nil {
		t.Fatal(err)
	}
	_, span := tp.Tracer("test").Start(context.Background(), "op")
	span.End()
	if err := shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	rcv.WaitSpan(t, span.SpanContext().TraceID().String(), "op", 10*time.Second)
}

func TestStartTracingSamplers(t *testing.T) {
	rcv := otlptest.NewHTTP(t)
	sampledParent := trace.ContextWithRemoteSpanContext(context.Background(), trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: trace.TraceID{1}, SpanID: trace.SpanID{2}, TraceFlags: trace.FlagsSampled, Remote: true,
	}))
	unsampledParent := trace.ContextWithRemoteSpanContext(context.Background(), trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: trace.TraceID{1}, SpanID: trace.SpanID{2}, Remote: true,
	}))
	cases := []struct {
		sampler, arg                   string
		root, sampledKid, unsampledKid bool
	}{
		{"", "", true, true, false}, // parentbased_always_on
		{"always_on", "", true, true, true},
		{"always_off", "", false, false, false},
		{"traceidratio", "0", false, false, false},
		{"traceidratio", "1", true, true, true},
		{"parentbased_always_off", "", false, true, false},
		{"parentbased_traceidratio", "0", false, true, false},
	}
	for _, c := range cases {
		tp, _ := startTracing(t, rcv, map[string]string{"OTEL_TRACES_SAMPLER": c.sampler, "OTEL_TRACES_SAMPLER_ARG": c.arg})
		tr := tp.Tracer("test")
		rec := func(ctx context.Context) bool {
			_, s := tr.Start(ctx, "op")
			defer s.End()
			return s.IsRecording()
		}
		if got := [3]bool{rec(context.Background()), rec(sampledParent), rec(unsampledParent)}; got != [3]bool{c.root, c.sampledKid, c.unsampledKid} {
			t.Errorf("%s %s: root, under a sampled caller, under an unsampled caller = %v", c.sampler, c.arg, got)
		}
	}
}
