package market_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bankapp/bankapp/internal/fx"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/market"
	"github.com/prometheus/client_golang/prometheus"
)

// fakeFX is an FXProvider whose answers the test controls.
type fakeFX struct {
	calls   atomic.Int64
	fail    atomic.Bool
	eur     atomic.Int64 // EURUSD in rate units (× 10^8)
	block   chan struct{}
	partial atomic.Bool // answer without GBP
}

func newFakeFX() *fakeFX {
	f := &fakeFX{}
	f.eur.Store(108_423_000)
	return f
}

func (f *fakeFX) FXRates(ctx context.Context) (market.FXRates, error) {
	f.calls.Add(1)
	if f.block != nil {
		select {
		case <-f.block:
		case <-ctx.Done():
			return market.FXRates{}, ctx.Err()
		}
	}
	if f.fail.Load() {
		return market.FXRates{}, errUpstream
	}
	eur, _ := fx.RateFromUnits(f.eur.Load())
	usd := map[ledger.Currency]fx.Rate{ledger.EUR: eur, ledger.GBP: fx.MustParseRate("1.26917")}
	if f.partial.Load() {
		// A set without GBP, built by hand: NewFXRates would refuse it.
		r, _ := market.NewFXRates(usd, time.Unix(1764366840, 0), "fake")
		return market.FXRates{AsOf: r.AsOf, Source: r.Source}, nil
	}
	return market.NewFXRates(usd, time.Unix(1764366840, 0), "fake")
}

func newFXService(t *testing.T, f *fakeFX, clk *clock, tweak func(*market.Options)) (*market.Service, *prometheus.Registry) {
	t.Helper()
	return newService(t, newFakeUpstream(), clk, func(o *market.Options) {
		o.FXUpstream = f
		if tweak != nil {
			tweak(o)
		}
	})
}

func rateOf(t *testing.T, r market.FXRates, from, to ledger.Currency) string {
	t.Helper()
	v, err := r.Rate(from, to)
	if err != nil {
		t.Fatalf("%s→%s: %v", from, to, err)
	}
	return v.String()
}

func TestFXRatesCrossAndBase(t *testing.T) {
	r, err := market.NewFXRates(map[ledger.Currency]fx.Rate{
		ledger.EUR: fx.MustParseRate("1.08423"), ledger.GBP: fx.MustParseRate("1.26917"),
	}, time.Date(2025, 11, 28, 21, 54, 0, 0, time.FixedZone("", 3600)), "yahoo")
	if err != nil {
		t.Fatal(err)
	}
	for pair, want := range map[[2]ledger.Currency]string{
		{ledger.USD, ledger.EUR}: "0.922314", {ledger.USD, ledger.GBP}: "0.787917",
		{ledger.EUR, ledger.USD}: "1.084230", {ledger.EUR, ledger.GBP}: "0.854283",
		{ledger.GBP, ledger.USD}: "1.269170", {ledger.GBP, ledger.EUR}: "1.170573",
		{ledger.EUR, ledger.EUR}: "1.000000",
	} {
		if got := rateOf(t, r, pair[0], pair[1]); got != want {
			t.Errorf("%s→%s = %s, want %s", pair[0], pair[1], got, want)
		}
	}
	if p, ok := r.USDPrice(ledger.EUR); !ok || p.String() != "1.084230" {
		t.Errorf("USD price of EUR %s", p)
	}
	for base, want := range map[ledger.Currency]string{
		ledger.USD: `{"base":"USD","as_of":"2025-11-28T20:54:00Z","source":"yahoo","rates":{"EUR":"0.922314","GBP":"0.787917"}}`,
		ledger.GBP: `{"base":"GBP","as_of":"2025-11-28T20:54:00Z","source":"yahoo","rates":{"EUR":"1.170573","USD":"1.269170"}}`,
	} {
		br, err := r.Rates(base)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(br)
		if err != nil || string(b) != want {
			t.Errorf("base %s: %s %v\nwant %s", base, b, err, want)
		}
	}
	for _, bad := range []ledger.Currency{"CHF", "usd", ""} {
		if _, err := r.Rates(bad); codeOf(err) != "invalid_parameter" {
			t.Errorf("base %q: %v", bad, err)
		}
		if _, err := r.Rate(ledger.USD, bad); codeOf(err) != "invalid_parameter" {
			t.Errorf("rate to %q: %v", bad, err)
		}
	}
	if got := market.FXCurrencies(); len(got) != 3 || got[0] != ledger.USD || got[1] != ledger.EUR || got[2] != ledger.GBP {
		t.Errorf("currencies %v", got)
	}
	// NewFXRates refuses incomplete or odd sets.
	for name, usd := range map[string]map[ledger.Currency]fx.Rate{
		"no GBP":      {ledger.EUR: fx.One},
		"zero EUR":    {ledger.EUR: {}, ledger.GBP: fx.One},
		"unsupported": {ledger.EUR: fx.One, ledger.GBP: fx.One, "CHF": fx.One},
		"USD not 1":   {ledger.EUR: fx.One, ledger.GBP: fx.One, ledger.USD: fx.MustParseRate("1.1")},
	} {
		if _, err := market.NewFXRates(usd, time.Now(), "x"); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}

func TestSimulatedFXRates(t *testing.T) {
	t0 := time.Date(2026, 5, 7, 13, 45, 30, 0, time.UTC)
	a := market.NewSimulated(0, func() time.Time { return t0 })
	b := market.NewSimulated(0, func() time.Time { return t0.Add(25 * time.Second) }) // same minute
	ra, err := a.FXRates(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rb, _ := b.FXRates(context.Background())
	for _, c := range []ledger.Currency{ledger.EUR, ledger.GBP} {
		pa, _ := ra.USDPrice(c)
		pb, _ := rb.USDPrice(c)
		if pa != pb {
			t.Errorf("%s: %s vs %s within one minute", c, pa, pb)
		}
	}
	if ra.Source != "simulated" || !ra.AsOf.Equal(time.Date(2026, 5, 7, 13, 45, 0, 0, time.UTC)) || ra.Stale {
		t.Errorf("meta %+v", ra)
	}
	// Around realistic centres, moving from minute to minute, and the seed
	// matters.
	moved := 0
	for i := range 2_000 {
		at := t0.Add(time.Duration(i) * 613 * time.Minute)
		r := a.FXRatesAt(at)
		eur, _ := r.USDPrice(ledger.EUR)
		gbp, _ := r.USDPrice(ledger.GBP)
		if eur.Cmp(fx.MustParseRate("0.99")) < 0 || eur.Cmp(fx.MustParseRate("1.17")) > 0 ||
			gbp.Cmp(fx.MustParseRate("1.16")) < 0 || gbp.Cmp(fx.MustParseRate("1.38")) > 0 {
			t.Fatalf("at %s: EURUSD %s GBPUSD %s", at, eur, gbp)
		}
		next := a.FXRatesAt(at.Add(time.Minute))
		if e2, _ := next.USDPrice(ledger.EUR); e2 != eur {
			moved++
		}
	}
	if moved < 1_800 {
		t.Errorf("EURUSD moved in %d of 2000 minutes", moved)
	}
	other := market.NewSimulated(42, nil).FXRatesAt(t0)
	if rateOf(t, other, ledger.EUR, ledger.USD) == rateOf(t, ra, ledger.EUR, ledger.USD) {
		t.Error("seed has no effect")
	}
}

// TestSimulatedFXGolden pins rates so that a change to the walk is a
// deliberate act.
func TestSimulatedFXGolden(t *testing.T) {
	r := market.NewSimulated(0, nil).FXRatesAt(time.Date(2026, 1, 2, 15, 30, 0, 0, time.UTC))
	eur, _ := r.USDPrice(ledger.EUR)
	gbp, _ := r.USDPrice(ledger.GBP)
	got := eur.String() + " " + gbp.String() + " " + rateOf(t, r, ledger.EUR, ledger.GBP)
	if want := "1.09142532 1.20903746 0.902723"; got != want {
		t.Errorf("EURUSD GBPUSD EURGBP = %s, golden %s", got, want)
	}
}

func TestServiceFXDefaultsToTheSimulatedWalk(t *testing.T) {
	clk := newClock()
	// A custom price upstream without exchange rates: rates come from the
	// simulated market (Provider's default).
	s, _ := newService(t, newFakeUpstream(), clk, nil)
	r, err := s.FXRates(context.Background())
	want := market.NewSimulated(0, clk.Now).FXRatesAt(clk.Now())
	if err != nil || r.Source != "simulated" || rateOf(t, r, ledger.USD, ledger.EUR) != rateOf(t, want, ledger.USD, ledger.EUR) {
		t.Errorf("%+v %v", r, err)
	}
	s2, err := market.New(market.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	if r, err := s2.FreshFXRates(context.Background()); err != nil || r.Source != "simulated" {
		t.Errorf("simulated service: %+v %v", r, err)
	}
}

func TestFXCacheTTL(t *testing.T) {
	clk, f := newClock(), newFakeFX()
	s, reg := newFXService(t, f, clk, nil)
	ctx := context.Background()
	r, err := s.FXRates(ctx)
	if err != nil || r.Stale || rateOf(t, r, ledger.EUR, ledger.USD) != "1.084230" || r.Source != "fake" {
		t.Fatalf("first: %+v %v", r, err)
	}
	f.eur.Store(109_000_000)
	clk.Advance(29 * time.Second)
	if r, _ := s.FXRates(ctx); rateOf(t, r, ledger.EUR, ledger.USD) != "1.084230" || f.calls.Load() != 1 {
		t.Errorf("within TTL: %s, %d calls", rateOf(t, r, ledger.EUR, ledger.USD), f.calls.Load())
	}
	clk.Advance(2 * time.Second)
	if r, _ := s.FXRates(ctx); rateOf(t, r, ledger.EUR, ledger.USD) != "1.090000" || f.calls.Load() != 2 {
		t.Errorf("after TTL: %s, %d calls", rateOf(t, r, ledger.EUR, ledger.USD), f.calls.Load())
	}
	if n := counter(t, reg, "bankapp_market_cache_requests_total", map[string]string{"cache": "fx", "result": "hit"}); n != 1 {
		t.Errorf("hits %v", n)
	}
	if n := counter(t, reg, "bankapp_market_upstream_requests_total", map[string]string{"provider": "custom_fx", "operation": "fx_rates", "outcome": "ok"}); n != 2 {
		t.Errorf("upstream ok %v", n)
	}
}

func TestFXCoalescing(t *testing.T) {
	clk, f := newClock(), newFakeFX()
	f.block = make(chan struct{})
	s, reg := newFXService(t, f, clk, nil)
	const n = 50
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			r, err := s.FXRates(context.Background())
			if err == nil && rateOf(t, r, ledger.USD, ledger.GBP) != "0.787917" {
				err = errors.New("wrong rate")
			}
			errs <- err
		})
	}
	// Every asker has missed the cache before upstream answers; the clock
	// stands still, so any asker that comes later finds the fresh set and
	// a second upstream call can only come from missing coalescing.
	deadline := time.Now().Add(5 * time.Second)
	for counter(t, reg, "bankapp_market_cache_requests_total", map[string]string{"cache": "fx", "result": "miss"}) < n {
		if time.Now().After(deadline) {
			t.Fatal("askers did not arrive")
		}
		time.Sleep(time.Millisecond)
	}
	close(f.block)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if c := f.calls.Load(); c != 1 {
		t.Errorf("%d upstream calls for %d concurrent askers, want 1", c, n)
	}
}

func TestFXCallerCanLeave(t *testing.T) {
	clk, f := newClock(), newFakeFX()
	f.block = make(chan struct{})
	s, _ := newFXService(t, f, clk, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { _, err := s.FXRates(ctx); done <- err }()
	for f.calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("got %v", err)
	}
	close(f.block)
	if r, err := s.FXRates(context.Background()); err != nil || r.Stale || f.calls.Load() != 1 {
		t.Errorf("after: %+v %v, %d calls", r, err, f.calls.Load())
	}
}

func TestFXStaleIfErrorAndFresh(t *testing.T) {
	clk, f := newClock(), newFakeFX()
	s, reg := newFXService(t, f, clk, func(o *market.Options) { o.BreakerThreshold = 1000 })
	ctx := context.Background()
	fetched := clk.Now()
	if _, err := s.FreshFXRates(ctx); err != nil {
		t.Fatal(err)
	}
	f.fail.Store(true)

	clk.Advance(45 * time.Second) // past the TTL: upstream is asked and fails
	r, err := s.FreshFXRates(ctx)
	if err != nil || !r.Stale || rateOf(t, r, ledger.EUR, ledger.USD) != "1.084230" {
		t.Fatalf("45 s old, fresh: %+v %v", r, err)
	}
	clk.Advance(16 * time.Second)
	if _, err := s.FreshFXRates(ctx); codeOf(err) != "market_data_unavailable" {
		t.Fatalf("61 s old, fresh: %v", err)
	}
	if r, err := s.FXRates(ctx); err != nil || !r.Stale {
		t.Fatalf("61 s old: %+v %v", r, err)
	}
	clk.Set(fetched.Add(15 * time.Minute))
	if r, err := s.FXRates(ctx); err != nil || !r.Stale {
		t.Fatalf("at 15 min: %+v %v", r, err)
	}
	clk.Advance(time.Second)
	_, err = s.FXRates(ctx)
	var ue *market.UnavailableError
	if !errors.As(err, &ue) || codeOf(err) != "market_data_unavailable" || !errors.Is(err, errUpstream) {
		t.Fatalf("after 15 min: %v", err)
	}
	if err.Error() != "market data for exchange rates is temporarily unavailable" {
		t.Errorf("customer text %q", err.Error())
	}
	if n := counter(t, reg, "bankapp_market_cache_requests_total", map[string]string{"cache": "fx", "result": "stale"}); n != 4 {
		t.Errorf("stale served %v times", n)
	}
	if n := counter(t, reg, "bankapp_market_errors_total", map[string]string{"operation": "fresh_fx_rates", "code": "market_data_unavailable"}); n != 1 {
		t.Errorf("fresh errors %v", n)
	}
	if n := counter(t, reg, "bankapp_market_errors_total", map[string]string{"operation": "fx_rates", "code": "market_data_unavailable"}); n != 1 {
		t.Errorf("errors %v", n)
	}
	f.fail.Store(false)
	if r, err := s.FreshFXRates(ctx); err != nil || r.Stale {
		t.Errorf("recovered: %+v %v", r, err)
	}
}

func TestFXNeverFetchedAndIncomplete(t *testing.T) {
	clk, f := newClock(), newFakeFX()
	f.fail.Store(true)
	s, _ := newFXService(t, f, clk, nil)
	if _, err := s.FXRates(context.Background()); codeOf(err) != "market_data_unavailable" {
		t.Errorf("never fetched: %v", err)
	}
	f.fail.Store(false)
	f.partial.Store(true)
	if _, err := s.FXRates(context.Background()); codeOf(err) != "market_data_unavailable" {
		t.Errorf("incomplete set: %v", err)
	}
}

func TestFXBreaker(t *testing.T) {
	clk, f := newClock(), newFakeFX()
	f.fail.Store(true)
	s, reg := newFXService(t, f, clk, func(o *market.Options) {
		o.BreakerThreshold = 3
		o.BreakerCoolDown = 30 * time.Second
	})
	ctx := context.Background()
	for range 3 {
		if _, err := s.FXRates(ctx); codeOf(err) != "market_data_unavailable" {
			t.Fatal(err)
		}
	}
	state := func() float64 {
		return counter(t, reg, "bankapp_market_breaker_state", map[string]string{"provider": "custom_fx"})
	}
	if f.calls.Load() != 3 || state() != 2 {
		t.Fatalf("after 3 failures: %d calls, state %v", f.calls.Load(), state())
	}
	if _, err := s.FXRates(ctx); !errors.Is(err, market.ErrBreakerOpen) || f.calls.Load() != 3 {
		t.Fatalf("open: %v, %d calls", err, f.calls.Load())
	}
	// The price upstream has its own breaker.
	if _, err := s.Quote(ctx, "AAPL"); err != nil {
		t.Errorf("quotes while the FX breaker is open: %v", err)
	}
	clk.Advance(30 * time.Second)
	f.fail.Store(false)
	if _, err := s.FXRates(ctx); err != nil || state() != 0 || f.calls.Load() != 4 {
		t.Fatalf("probe: %v, state %v, %d calls", err, state(), f.calls.Load())
	}
}

func TestLiveFXRates(t *testing.T) {
	f, clk := newFakeUpstreams(t), newClock()
	s, reg := newLive(t, f, clk, func(o *market.Options) { o.BreakerThreshold = 3 })
	ctx := context.Background()
	r, err := s.FXRates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	eur, _ := r.USDPrice(ledger.EUR)
	gbp, _ := r.USDPrice(ledger.GBP)
	if eur.String() != "1.084230" || gbp.String() != "1.269170" || r.Source != "yahoo" || r.Stale {
		t.Errorf("rates %s %s %+v", eur, gbp, r)
	}
	if !r.AsOf.Equal(time.Unix(1764366840, 0)) { // the older of the two
		t.Errorf("as of %s", r.AsOf)
	}
	if got := rateOf(t, r, ledger.EUR, ledger.GBP); got != "0.854283" {
		t.Errorf("EUR→GBP %s", got)
	}
	seen := map[string]string{}
	for _, req := range f.take() {
		seen[req.URL.EscapedPath()] = req.URL.RawQuery
		if req.Header.Get("User-Agent") == "" {
			t.Error("no User-Agent")
		}
	}
	if len(seen) != 2 || seen["/v8/finance/chart/EURUSD=X"] != "interval=1d&range=1d" || seen["/v8/finance/chart/GBPUSD=X"] != "interval=1d&range=1d" {
		t.Errorf("requests %v", seen)
	}

	// Each failure of one ticker is an upstream failure: stale rates are
	// served, Yahoo's breaker counts it, the error kind is recorded.
	for _, tc := range []struct{ failure, kind string }{
		{"429", "rate_limited"}, {"404", "http"}, {"wrong-currency", "malformed"},
	} {
		f.fxFailure.Store(tc.failure)
		clk.Advance(time.Minute)
		r, err := s.FXRates(ctx)
		if err != nil || !r.Stale || rateOf(t, r, ledger.EUR, ledger.GBP) != "0.854283" {
			t.Errorf("%s: %+v %v", tc.failure, r, err)
		}
		if n := counter(t, reg, "bankapp_market_upstream_errors_total", map[string]string{"provider": "yahoo", "kind": tc.kind}); n != 1 {
			t.Errorf("%s: %s errors %v", tc.failure, tc.kind, n)
		}
	}
	// Three failures opened Yahoo's breaker, which stock quotes share.
	if st := counter(t, reg, "bankapp_market_breaker_state", map[string]string{"provider": "yahoo"}); st != 2 {
		t.Errorf("breaker %v", st)
	}
	if _, err := s.Quote(ctx, "AAPL"); !errors.Is(err, market.ErrBreakerOpen) {
		t.Errorf("AAPL with Yahoo's breaker open: %v", err)
	}
	clk.Advance(time.Minute)
	f.fxFailure.Store("wrong-symbol")
	if r, err := s.FXRates(ctx); err != nil || !r.Stale {
		t.Errorf("wrong symbol: %+v %v", r, err)
	}
	f.fxFailure.Store("")
	clk.Advance(time.Minute)
	if r, err := s.FXRates(ctx); err != nil || r.Stale {
		t.Errorf("recovered: %+v %v", r, err)
	}
}
