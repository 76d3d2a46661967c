package api

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/bankapp/bankapp/internal/store"
)

type metrics struct {
	requests      *prometheus.CounterVec
	duration      *prometheus.HistogramVec
	loginFailures prometheus.Counter
	lockouts      prometheus.Counter
	transfers     *prometheus.CounterVec
	batchSize     prometheus.Histogram
}

func newMetrics(reg *prometheus.Registry, db *store.DB) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "bankapp_http_requests_total",
			Help: "HTTP requests by route pattern, method and status."}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "bankapp_http_request_duration_seconds",
			Help: "HTTP request latency by route pattern.", Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}},
			[]string{"route", "method"}),
		loginFailures: prometheus.NewCounter(prometheus.CounterOpts{Name: "bankapp_login_failures_total", Help: "Failed sign-in attempts."}),
		lockouts:      prometheus.NewCounter(prometheus.CounterOpts{Name: "bankapp_account_lockouts_total", Help: "Accounts locked after repeated failures."}),
		transfers: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "bankapp_money_movements_total",
			Help: "Money movements by kind and outcome."}, []string{"kind", "outcome"}),
		batchSize: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "bankapp_group_commit_batch_size",
			Help: "Transfers per group-commit transaction.", Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128}}),
	}
	cs := []prometheus.Collector{m.requests, m.duration, m.loginFailures, m.lockouts, m.transfers, m.batchSize}
	if db != nil {
		cs = append(cs, collectors.NewDBStatsCollector(db.SQLDB(), "bankapp"))
	}
	for _, c := range cs {
		_ = reg.Register(c)
	}
	_ = reg.Register(collectors.NewGoCollector())
	_ = reg.Register(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) observe(route, method string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route, method).Observe(d.Seconds())
}
