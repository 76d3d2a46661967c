package telemetry

import (
	"net/http"
	"net/http/pprof" // #nosec G108 -- handlers are mounted explicitly on the metrics listener only, never the API port

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// MetricsHandler serves the operators' endpoints: Prometheus /metrics and
// the net/http/pprof profiles under /debug/pprof/. It belongs on its own
// listener (METRICS_ADDR, loopback or the task's private port the collector
// scrapes), never on the public API port.
func MetricsHandler(reg *prometheus.Registry) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	return mux
}
