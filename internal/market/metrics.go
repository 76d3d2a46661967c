package market

import (
	"context"
	"errors"
	"fmt"

	"github.com/bankapp/bankapp/internal/market/coingecko"
	"github.com/bankapp/bankapp/internal/market/yahoo"
	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the market's Prometheus collectors.
type metrics struct {
	upstream    *prometheus.CounterVec
	upstreamDur *prometheus.HistogramVec
	upstreamErr *prometheus.CounterVec
	cache       *prometheus.CounterVec
	errors      *prometheus.CounterVec
	breaker     *prometheus.GaugeVec
}

// newMetrics builds the collectors and registers them on reg (nowhere when
// reg is nil).
func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		upstream: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bankapp_market_upstream_requests_total",
			Help: "Calls to market-data providers by provider, operation (quotes, history, search, fx_rates) and outcome (ok, not_found, error, breaker_open, canceled).",
		}, []string{"provider", "operation", "outcome"}),
		upstreamDur: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "bankapp_market_upstream_request_duration_seconds",
			Help:    "Duration of calls to market-data providers.",
			Buckets: []float64{.01, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"provider", "operation"}),
		upstreamErr: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bankapp_market_upstream_errors_total",
			Help: "Failed calls to market-data providers by kind (timeout, rate_limited, http, malformed, network).",
		}, []string{"provider", "kind"}),
		cache: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bankapp_market_cache_requests_total",
			Help: "Market cache lookups by cache (quotes, history, search, fx) and result (hit, miss, stale).",
		}, []string{"cache", "result"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bankapp_market_errors_total",
			Help: "Errors the market service returned to callers, by operation and code.",
		}, []string{"operation", "code"}),
		breaker: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "bankapp_market_breaker_state",
			Help: "Circuit breaker state per provider: 0 closed, 1 half-open, 2 open.",
		}, []string{"provider"}),
	}
	if reg == nil {
		return m, nil
	}
	for _, c := range []prometheus.Collector{m.upstream, m.upstreamDur, m.upstreamErr, m.cache, m.errors, m.breaker} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("market: register metrics: %w", err)
		}
	}
	return m, nil
}

// errorKind classifies an upstream failure for bankapp_market_upstream_errors_total.
func errorKind(err error) string {
	var ys *yahoo.StatusError
	var ce *coingecko.APIError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.As(err, &ys):
		if ys.Status == 429 {
			return "rate_limited"
		}
		return "http"
	case errors.As(err, &ce):
		if ce.RateLimited() {
			return "rate_limited"
		}
		return "http"
	case errors.Is(err, yahoo.ErrMalformed), errors.Is(err, coingecko.ErrMalformed):
		return "malformed"
	}
	return "network"
}

// codeOf returns the API code of err, or "internal".
func codeOf(err error) string {
	var c coder
	if errors.As(err, &c) {
		return c.ErrorCode()
	}
	return "internal"
}
