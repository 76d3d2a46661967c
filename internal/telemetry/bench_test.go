package telemetry_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"syscall"
	"testing"

	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/bankapp/bankapp/internal/telemetry"
)

// BenchmarkRequest measures what tracing adds to one request through a
// stand-in of the API's middleware (access log line, route naming) and a
// handler that makes three SQL spans, in process (no network, no
// database), so that only the tracing code differs between cases:
//
//	before       the logger and middleware as they were before tracing
//	tracing-off  WithTrace logger, HTTPHandler/RouteSpan/StartDBSpan with the no-op provider
//	sampled-0    tracing on, no request sampled: what an unsampled request pays
//	sampled-10   parentbased_traceidratio 0.1
//	sampled-100  every request traced and exported
//
// The exporter sends OTLP/HTTP to an in-process endpoint that reads the
// body and answers 200 without decoding it, so the collector's own work is
// not counted (the exporter's encoding and sending are).
//
// Besides wall time it reports cpu-ns/op, the process's user+system CPU
// time per request (every goroutine: GC, the batch exporter), which a
// machine shared with other work disturbs less than wall time.
//
// docs/tracing.md has the numbers.
func BenchmarkRequest(b *testing.B) {
	cases := []struct {
		name   string
		before bool
		env    map[string]string // nil: tracing off
	}{
		{"before", true, nil},
		{"tracing-off", false, nil},
		{"sampled-0", false, map[string]string{"OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0"}},
		{"sampled-10", false, map[string]string{"OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0.1"}},
		{"sampled-100", false, map[string]string{"OTEL_TRACES_SAMPLER": "parentbased_always_on"}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			getenv := env(c.env)
			if c.env != nil {
				sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					_, _ = io.Copy(io.Discard, r.Body)
					w.Header().Set("Content-Type", "application/x-protobuf")
				}))
				defer sink.Close()
				c.env["OTEL_EXPORTER_OTLP_ENDPOINT"] = sink.URL
			}
			tp, shutdown, err := telemetry.StartTracing(context.Background(), getenv, "bench")
			if err != nil {
				b.Fatal(err)
			}
			log := telemetry.NewLogger(io.Discard, "info", "json")
			if c.before {
				log = slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}))
			}
			h := benchServer(c.before, tp, log)
			req := httptest.NewRequest(http.MethodGet, "/api/v1/accounts/acc-1", nil)
			b.ReportAllocs()
			runtime.GC() // no garbage of the previous case collected on this one's time
			cpu0 := cpuTime(b)
			n := 0
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatal(w.Code)
				}
				n++
			}
			if err := shutdown(context.Background()); err != nil { // the export of what is queued counts too
				b.Fatal(err)
			}
			b.ReportMetric(float64(cpuTime(b)-cpu0)/float64(n), "cpu-ns/op")
		})
	}
}

func benchServer(before bool, tp trace.TracerProvider, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/accounts/{id}", func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		for range 3 {
			if before {
				continue
			}
			_, end := telemetry.StartDBSpan(ctx, "SELECT accounts", semconv.DBSystemNamePostgreSQL)
			end(nil)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"acc-1","balance":"12.34"}`))
	})
	observe := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, "request-id"))
		mux.ServeHTTP(w, r)
		if !before {
			telemetry.RouteSpan(r)
		}
		log.LogAttrs(r.Context(), slog.LevelInfo, "request", slog.String("method", r.Method),
			slog.String("route", r.Pattern), slog.Int("status", 200), slog.String("request_id", "request-id"))
	})
	if before {
		return observe
	}
	return telemetry.HTTPHandler(observe, tp)
}

// cpuTime is the process's user+system CPU time in nanoseconds.
func cpuTime(b *testing.B) int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
