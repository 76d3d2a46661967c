package market

import (
	"context"
	"fmt"
	"time"
)

// guarded wraps one upstream (its prices, its exchange rates, or both) with
// a timeout per call, one circuit breaker and metrics.
type guarded struct {
	name    string
	p       Provider   // nil for an exchange-rate-only upstream
	fx      FXProvider // nil when the upstream has no exchange rates
	timeout time.Duration
	br      *breaker
	m       *metrics
}

func newGuarded(name string, p Provider, f FXProvider, o *Options, m *metrics) *guarded {
	g := &guarded{name: name, p: p, fx: f, timeout: o.Timeout, m: m}
	g.br = &breaker{
		now: o.Now, threshold: o.BreakerThreshold, coolDown: o.BreakerCoolDown,
		onChange: func(s BreakerState) { m.breaker.WithLabelValues(name).Set(float64(s)) },
	}
	m.breaker.WithLabelValues(name).Set(0)
	return g
}

// do runs f under the breaker and the timeout. Not-found answers count as
// healthy; a caller that went away counts as neither.
func (g *guarded) do(ctx context.Context, op string, f func(context.Context) error) error {
	if !g.br.allow() {
		g.m.upstream.WithLabelValues(g.name, op, "breaker_open").Inc()
		return fmt.Errorf("market: %s %s: %w", g.name, op, ErrBreakerOpen)
	}
	cctx, cancel := context.WithTimeout(ctx, g.timeout)
	defer cancel()
	start := time.Now()
	err := f(cctx)
	g.m.upstreamDur.WithLabelValues(g.name, op).Observe(time.Since(start).Seconds())
	outcome := "ok"
	switch {
	case err == nil:
		g.br.success()
	case isNotFound(err) || isInvalid(err):
		outcome = "not_found"
		g.br.success()
	case ctx.Err() != nil:
		outcome = "canceled"
		g.br.release()
	default:
		outcome = "error"
		g.m.upstreamErr.WithLabelValues(g.name, errorKind(err)).Inc()
		g.br.failure()
	}
	g.m.upstream.WithLabelValues(g.name, op, outcome).Inc()
	if err != nil && outcome == "error" {
		return fmt.Errorf("market: %s %s: %w", g.name, op, err)
	}
	return err
}

func (g *guarded) Quotes(ctx context.Context, symbols []string) (map[string]Quote, error) {
	var out map[string]Quote
	err := g.do(ctx, "quotes", func(ctx context.Context) (err error) {
		out, err = g.p.Quotes(ctx, symbols)
		return err
	})
	return out, err
}

func (g *guarded) History(ctx context.Context, symbol string, r Range) ([]Point, error) {
	var out []Point
	err := g.do(ctx, "history", func(ctx context.Context) (err error) {
		out, err = g.p.History(ctx, symbol, r)
		return err
	})
	return out, err
}

func (g *guarded) Search(ctx context.Context, q string) ([]Instrument, error) {
	var out []Instrument
	err := g.do(ctx, "search", func(ctx context.Context) (err error) {
		out, err = g.p.Search(ctx, q)
		return err
	})
	return out, err
}

func (g *guarded) FXRates(ctx context.Context) (FXRates, error) {
	if g.fx == nil {
		return FXRates{}, fmt.Errorf("market: %s has no exchange rates", g.name)
	}
	var out FXRates
	err := g.do(ctx, "fx_rates", func(ctx context.Context) (err error) {
		out, err = g.fx.FXRates(ctx)
		return err
	})
	return out, err
}
