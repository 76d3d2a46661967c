package market_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bankapp/bankapp/internal/market"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/shopspring/decimal"
)

// clock is a controllable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 2, 15, 4, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var errUpstream = errors.New("upstream exploded")

// fakeUpstream is a Provider whose answers the test controls; it counts
// calls and can block them until released.
type fakeUpstream struct {
	calls   atomic.Int64
	fail    atomic.Bool
	price   atomic.Int64 // whole dollars
	block   chan struct{}
	unknown string
}

func newFakeUpstream() *fakeUpstream {
	f := &fakeUpstream{}
	f.price.Store(100)
	return f
}

func (f *fakeUpstream) wait(ctx context.Context) error {
	f.calls.Add(1)
	if f.block != nil {
		select {
		case <-f.block:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if f.fail.Load() {
		return errUpstream
	}
	return nil
}

func (f *fakeUpstream) Quotes(ctx context.Context, symbols []string) (map[string]market.Quote, error) {
	if err := f.wait(ctx); err != nil {
		return nil, err
	}
	out := map[string]market.Quote{}
	for _, s := range symbols {
		if s == f.unknown {
			return nil, &market.UnknownSymbolError{Symbol: s}
		}
		out[s] = market.Quote{Symbol: s, Price: decimal.NewFromInt(f.price.Load()), Currency: "USD", Source: "fake"}
	}
	return out, nil
}

func (f *fakeUpstream) History(ctx context.Context, symbol string, r market.Range) ([]market.Point, error) {
	if err := f.wait(ctx); err != nil {
		return nil, err
	}
	return []market.Point{{T: time.Unix(0, 0), Price: decimal.NewFromInt(f.price.Load())}}, nil
}

func (f *fakeUpstream) Search(ctx context.Context, q string) ([]market.Instrument, error) {
	if err := f.wait(ctx); err != nil {
		return nil, err
	}
	return []market.Instrument{{Symbol: q, Name: q, Type: market.TypeStock}}, nil
}

// newService builds a Service over up with clk and a private registry.
func newService(t *testing.T, up market.Provider, clk *clock, tweak func(*market.Options)) (*market.Service, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	o := market.Options{Upstream: up, Now: clk.Now, Registerer: reg}
	if tweak != nil {
		tweak(&o)
	}
	s, err := market.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return s, reg
}

// counter reads one labelled series of a metric family from reg.
func counter(t *testing.T, reg *prometheus.Registry, name string, labels map[string]string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	metrics:
		for _, m := range mf.GetMetric() {
			for _, lp := range m.GetLabel() {
				if v, ok := labels[lp.GetName()]; ok && v != lp.GetValue() {
					continue metrics
				}
			}
			switch {
			case m.Counter != nil:
				return m.Counter.GetValue()
			case m.Gauge != nil:
				return m.Gauge.GetValue()
			}
		}
	}
	return 0
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func codeOf(err error) string {
	var c interface{ ErrorCode() string }
	if errors.As(err, &c) {
		return c.ErrorCode()
	}
	return ""
}
