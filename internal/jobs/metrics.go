package jobs

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the runner's Prometheus collectors.
type metrics struct {
	run    *prometheus.CounterVec   // jobs finished, by kind
	failed *prometheus.CounterVec   // failed attempts, by kind and outcome (retry, dead)
	fenced *prometheus.CounterVec   // claims lost to another instance, by kind
	lag    *prometheus.HistogramVec // seconds from run_at to the start of the attempt
	oldest prometheus.Gauge         // age of the oldest due pending job, 0 when none
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		run: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "bankapp_jobs_run_total",
			Help: "Background jobs completed, by kind."}, []string{"kind"}),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "bankapp_jobs_failed_total",
			Help: "Failed attempts of background jobs, by kind and outcome (retry or dead)."}, []string{"kind", "outcome"}),
		fenced: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "bankapp_jobs_fenced_total",
			Help: "Job attempts abandoned because another instance had taken the job over."}, []string{"kind"}),
		lag: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "bankapp_jobs_lag_seconds",
			Help:    "Delay between a job's due time and the start of its attempt.",
			Buckets: []float64{0.1, 0.5, 1, 2, 5, 15, 60, 300, 1800, 3600}}, []string{"kind"}),
		oldest: prometheus.NewGauge(prometheus.GaugeOpts{Name: "bankapp_jobs_oldest_due_seconds",
			Help: "Age of the oldest due job not yet started (0 when the queue is drained)."}),
	}
	if reg == nil {
		return m, nil
	}
	for _, c := range []prometheus.Collector{m.run, m.failed, m.fenced, m.lag, m.oldest} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("jobs: register metrics: %w", err)
		}
	}
	return m, nil
}
