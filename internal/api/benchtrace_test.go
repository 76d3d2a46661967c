package api_test

import (
	"context"
	"os"
	"testing"

	"go.opentelemetry.io/otel/trace"

	"github.com/bankapp/bankapp/internal/telemetry"
	"github.com/bankapp/bankapp/internal/telemetry/otlptest"
)

// benchTracer is the tracer provider of the benchmarks' servers, from the
// standard OTEL_* variables of the process, as serve reads them: nil (no
// tracing) when no endpoint is set. BANKAPP_BENCH_OTLP=1 starts an
// in-process OTLP/HTTP receiver (otlptest) and points the endpoint at it,
// so that a run with tracing on exports for real without a collector:
//
//	BANKAPP_BENCH_OTLP=1 OTEL_TRACES_SAMPLER=traceidratio OTEL_TRACES_SAMPLER_ARG=0.1 \
//	  go test -run '^$' -bench '^BenchmarkMe$' ./internal/api/
//
// (docs/benchmarks.md, "Tracing").
func benchTracer(tb testing.TB) trace.TracerProvider {
	tb.Helper()
	getenv := os.Getenv
	if os.Getenv("BANKAPP_BENCH_OTLP") == "1" {
		getenv = otlptest.NewHTTP(tb).Getenv(os.Getenv)
	}
	if getenv("OTEL_EXPORTER_OTLP_ENDPOINT") == "" && getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") == "" {
		return nil
	}
	tp, shutdown, err := telemetry.StartTracing(context.Background(), getenv, "bench")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = shutdown(context.Background()) })
	return tp
}
