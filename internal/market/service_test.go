package market_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/bankapp/bankapp/internal/market"
)

func TestQuoteCacheTTL(t *testing.T) {
	clk, up := newClock(), newFakeUpstream()
	s, reg := newService(t, up, clk, nil)
	ctx := context.Background()

	q, err := s.Quote(ctx, " aapl ")
	if err != nil || q.Symbol != "AAPL" || !q.Price.Equal(dec("100")) || q.Stale {
		t.Fatalf("first: %+v %v", q, err)
	}
	up.price.Store(101)
	clk.Advance(29 * time.Second)
	if q, _ := s.Quote(ctx, "AAPL"); !q.Price.Equal(dec("100")) || up.calls.Load() != 1 {
		t.Errorf("within TTL: price %s, %d calls", q.Price, up.calls.Load())
	}
	clk.Advance(2 * time.Second)
	if q, _ := s.Quote(ctx, "AAPL"); !q.Price.Equal(dec("101")) || up.calls.Load() != 2 {
		t.Errorf("after TTL: price %s, %d calls", q.Price, up.calls.Load())
	}
	if h := counter(t, reg, "bankapp_market_cache_requests_total", map[string]string{"cache": "quotes", "result": "hit"}); h != 1 {
		t.Errorf("hits %v", h)
	}
	if m := counter(t, reg, "bankapp_market_cache_requests_total", map[string]string{"cache": "quotes", "result": "miss"}); m != 2 {
		t.Errorf("misses %v", m)
	}
	if n := counter(t, reg, "bankapp_market_upstream_requests_total", map[string]string{"provider": "custom", "operation": "quotes", "outcome": "ok"}); n != 2 {
		t.Errorf("upstream ok %v", n)
	}
}

func TestQuotesOnlyFetchesMisses(t *testing.T) {
	clk, up := newClock(), newFakeUpstream()
	s, _ := newService(t, up, clk, nil)
	ctx := context.Background()
	if _, err := s.Quotes(ctx, []string{"AAPL"}); err != nil {
		t.Fatal(err)
	}
	up.price.Store(200)
	qs, err := s.Quotes(ctx, []string{"AAPL", "MSFT", "msft"})
	if err != nil || len(qs) != 2 || !qs["AAPL"].Price.Equal(dec("100")) || !qs["MSFT"].Price.Equal(dec("200")) {
		t.Fatalf("got %v %v", qs, err)
	}
}

func TestCoalescing(t *testing.T) {
	clk, up := newClock(), newFakeUpstream()
	up.block = make(chan struct{})
	s, reg := newService(t, up, clk, nil)
	const n = 50
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			q, err := s.Quote(context.Background(), "AAPL")
			if err == nil && !q.Price.Equal(dec("100")) {
				err = errors.New("wrong price " + q.Price.String())
			}
			errs <- err
		})
	}
	// Wait until every asker has missed the cache, then let upstream answer.
	deadline := time.Now().Add(5 * time.Second)
	for counter(t, reg, "bankapp_market_cache_requests_total", map[string]string{"cache": "quotes", "result": "miss"}) < n {
		if time.Now().After(deadline) {
			t.Fatal("askers did not arrive")
		}
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	close(up.block)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if c := up.calls.Load(); c != 1 {
		t.Errorf("%d upstream calls for %d concurrent askers, want 1", c, n)
	}
}

func TestCoalescedCallerCanLeave(t *testing.T) {
	clk, up := newClock(), newFakeUpstream()
	up.block = make(chan struct{})
	s, _ := newService(t, up, clk, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { _, err := s.Quote(ctx, "AAPL"); done <- err }()
	for up.calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("got %v", err)
	}
	// The upstream call continues for others and fills the cache.
	close(up.block)
	q, err := s.Quote(context.Background(), "AAPL")
	if err != nil || !q.Price.Equal(dec("100")) || up.calls.Load() != 1 {
		t.Errorf("after: %+v %v, %d calls", q, err, up.calls.Load())
	}
}

func TestStaleIfError(t *testing.T) {
	clk, up := newClock(), newFakeUpstream()
	s, reg := newService(t, up, clk, func(o *market.Options) { o.BreakerThreshold = 1000 })
	ctx := context.Background()
	fetched := clk.Now()
	if _, err := s.Quote(ctx, "AAPL"); err != nil {
		t.Fatal(err)
	}
	up.fail.Store(true)

	clk.Advance(time.Minute)
	q, err := s.Quote(ctx, "AAPL")
	if err != nil || !q.Stale || !q.Price.Equal(dec("100")) {
		t.Fatalf("1 min after: %+v %v", q, err)
	}
	clk.Set(fetched.Add(15 * time.Minute))
	if q, err := s.Quote(ctx, "AAPL"); err != nil || !q.Stale {
		t.Fatalf("at 15 min: %+v %v", q, err)
	}
	clk.Advance(time.Second)
	_, err = s.Quote(ctx, "AAPL")
	var ue *market.UnavailableError
	if !errors.As(err, &ue) || codeOf(err) != "market_data_unavailable" || !errors.Is(err, errUpstream) {
		t.Fatalf("after 15 min: %v", err)
	}
	if err.Error() != "market data for AAPL is temporarily unavailable" {
		t.Errorf("customer text %q", err.Error())
	}
	// A symbol never fetched has nothing stale to fall back on.
	if _, err := s.Quote(ctx, "MSFT"); codeOf(err) != "market_data_unavailable" {
		t.Errorf("never fetched: %v", err)
	}
	if n := counter(t, reg, "bankapp_market_cache_requests_total", map[string]string{"cache": "quotes", "result": "stale"}); n != 2 {
		t.Errorf("stale served %v times", n)
	}
	if n := counter(t, reg, "bankapp_market_errors_total", map[string]string{"operation": "quotes", "code": "market_data_unavailable"}); n != 2 {
		t.Errorf("errors metric %v", n)
	}
	// Recovery: a fresh quote, not stale.
	up.fail.Store(false)
	if q, err := s.Quote(ctx, "AAPL"); err != nil || q.Stale {
		t.Errorf("recovered: %+v %v", q, err)
	}
}

func TestFreshQuote(t *testing.T) {
	clk, up := newClock(), newFakeUpstream()
	s, _ := newService(t, up, clk, func(o *market.Options) { o.BreakerThreshold = 1000 })
	ctx := context.Background()
	if q, err := s.FreshQuote(ctx, "aapl"); err != nil || q.Symbol != "AAPL" || q.Stale {
		t.Fatalf("fresh: %+v %v", q, err)
	}
	up.fail.Store(true)
	clk.Advance(45 * time.Second) // past the TTL: upstream is asked and fails
	q, err := s.FreshQuote(ctx, "AAPL")
	if err != nil || !q.Stale || !q.Price.Equal(dec("100")) {
		t.Fatalf("45 s old: %+v %v", q, err)
	}
	clk.Advance(16 * time.Second)
	if _, err := s.FreshQuote(ctx, "AAPL"); codeOf(err) != "market_data_unavailable" {
		t.Fatalf("61 s old: %v", err)
	}
	// Quote still serves it (stale-if-error is 15 min for display).
	if q, err := s.Quote(ctx, "AAPL"); err != nil || !q.Stale {
		t.Errorf("Quote: %+v %v", q, err)
	}
}

func TestUnknownSymbol(t *testing.T) {
	clk, up := newClock(), newFakeUpstream()
	up.unknown = "NOPE"
	s, reg := newService(t, up, clk, func(o *market.Options) { o.BreakerThreshold = 2 })
	for range 5 {
		_, err := s.Quotes(context.Background(), []string{"AAPL", "nope"})
		var us *market.UnknownSymbolError
		if !errors.As(err, &us) || us.Symbol != "NOPE" || codeOf(err) != "not_found" {
			t.Fatalf("got %v", err)
		}
	}
	for _, bad := range []string{"", "a/b", "AAPL?x=1", "WAYTOOLONGSYMBOLNAMEXXXX"} {
		if _, err := s.Quote(context.Background(), bad); codeOf(err) != "not_found" && codeOf(err) != "invalid_parameter" {
			t.Errorf("%q: %v", bad, err)
		}
	}
	// Not-found answers are healthy: the breaker stays closed.
	if st := counter(t, reg, "bankapp_market_breaker_state", map[string]string{"provider": "custom"}); st != 0 {
		t.Errorf("breaker state %v", st)
	}
	if _, err := s.Quote(context.Background(), "AAPL"); err != nil {
		t.Errorf("AAPL: %v", err)
	}
}

func TestBreaker(t *testing.T) {
	clk, up := newClock(), newFakeUpstream()
	up.fail.Store(true)
	s, reg := newService(t, up, clk, func(o *market.Options) {
		o.BreakerThreshold = 3
		o.BreakerCoolDown = 30 * time.Second
	})
	ctx := context.Background()
	state := func() float64 {
		return counter(t, reg, "bankapp_market_breaker_state", map[string]string{"provider": "custom"})
	}
	for i := range 3 {
		if _, err := s.Quote(ctx, "AAPL"); codeOf(err) != "market_data_unavailable" {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if up.calls.Load() != 3 || state() != 2 {
		t.Fatalf("after 3 failures: %d calls, state %v", up.calls.Load(), state())
	}
	_, err := s.Quote(ctx, "AAPL")
	if !errors.Is(err, market.ErrBreakerOpen) || codeOf(err) != "market_data_unavailable" || up.calls.Load() != 3 {
		t.Fatalf("open breaker: %v, %d calls", err, up.calls.Load())
	}
	if n := counter(t, reg, "bankapp_market_upstream_requests_total", map[string]string{"outcome": "breaker_open"}); n != 1 {
		t.Errorf("breaker_open outcome %v", n)
	}

	// Half-open: one probe; it fails and the breaker opens again.
	clk.Advance(30 * time.Second)
	if _, err := s.Quote(ctx, "AAPL"); errors.Is(err, market.ErrBreakerOpen) || up.calls.Load() != 4 {
		t.Fatalf("probe: %v, %d calls", err, up.calls.Load())
	}
	if _, err := s.Quote(ctx, "AAPL"); !errors.Is(err, market.ErrBreakerOpen) || up.calls.Load() != 4 || state() != 2 {
		t.Fatalf("reopened: %v, %d calls, state %v", err, up.calls.Load(), state())
	}

	// Next probe succeeds and closes it.
	clk.Advance(30 * time.Second)
	up.fail.Store(false)
	if _, err := s.Quote(ctx, "AAPL"); err != nil || state() != 0 {
		t.Fatalf("recovered: %v, state %v", err, state())
	}
	if _, err := s.Quote(ctx, "MSFT"); err != nil || up.calls.Load() != 6 {
		t.Fatalf("closed: %v, %d calls", err, up.calls.Load())
	}
}

func TestBreakerHalfOpenAllowsOneProbe(t *testing.T) {
	clk, up := newClock(), newFakeUpstream()
	up.fail.Store(true)
	s, _ := newService(t, up, clk, func(o *market.Options) { o.BreakerThreshold = 1 })
	ctx := context.Background()
	_, _ = s.Quote(ctx, "AAPL") // opens
	clk.Advance(time.Minute)
	up.fail.Store(false)
	up.block = make(chan struct{})
	probe := make(chan error)
	go func() { _, err := s.Quote(ctx, "AAPL"); probe <- err }()
	for up.calls.Load() != 2 {
		time.Sleep(time.Millisecond)
	}
	// While the probe is in flight, other keys are refused without a call.
	if _, err := s.Quote(ctx, "MSFT"); !errors.Is(err, market.ErrBreakerOpen) {
		t.Errorf("during probe: %v", err)
	}
	close(up.block)
	if err := <-probe; err != nil {
		t.Fatal(err)
	}
	if _, err := s.Quote(ctx, "MSFT"); err != nil {
		t.Errorf("after probe: %v", err)
	}
}

func TestTimeout(t *testing.T) {
	clk, up := newClock(), newFakeUpstream()
	up.block = make(chan struct{}) // never released
	s, reg := newService(t, up, clk, func(o *market.Options) { o.Timeout = 20 * time.Millisecond })
	start := time.Now()
	_, err := s.Quote(context.Background(), "AAPL")
	if codeOf(err) != "market_data_unavailable" || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %s", d)
	}
	if n := counter(t, reg, "bankapp_market_upstream_errors_total", map[string]string{"kind": "timeout"}); n != 1 {
		t.Errorf("timeout metric %v", n)
	}
}

func TestHistoryAndSearchCache(t *testing.T) {
	clk, up := newClock(), newFakeUpstream()
	s, _ := newService(t, up, clk, func(o *market.Options) { o.BreakerThreshold = 1000 })
	ctx := context.Background()
	if _, err := s.History(ctx, "AAPL", "2y"); codeOf(err) != "invalid_parameter" {
		t.Errorf("bad range: %v", err)
	}
	h, err := s.History(ctx, "aapl", market.Range1Mo)
	if err != nil || len(h) != 1 {
		t.Fatal(h, err)
	}
	h[0].Price = dec("-1") // callers get copies
	clk.Advance(9 * time.Minute)
	if h, _ := s.History(ctx, "AAPL", market.Range1Mo); !h[0].Price.Equal(dec("100")) || up.calls.Load() != 1 {
		t.Errorf("cached history %v, %d calls", h, up.calls.Load())
	}
	up.fail.Store(true)
	clk.Advance(2 * time.Minute)
	if h, err := s.History(ctx, "AAPL", market.Range1Mo); err != nil || len(h) != 1 || up.calls.Load() != 2 {
		t.Errorf("stale history %v %v", h, err)
	}
	if _, err := s.History(ctx, "AAPL", market.Range1Y); codeOf(err) != "market_data_unavailable" {
		t.Errorf("uncached history: %v", err)
	}
	up.fail.Store(false)

	if _, err := s.Search(ctx, "  "); codeOf(err) != "invalid_parameter" {
		t.Errorf("empty search: %v", err)
	}
	calls := up.calls.Load()
	if _, err := s.Search(ctx, "Apple"); err != nil {
		t.Fatal(err)
	}
	clk.Advance(59 * time.Minute)
	if _, err := s.Search(ctx, " apple "); err != nil || up.calls.Load() != calls+1 {
		t.Errorf("search cache: %v, %d calls", err, up.calls.Load()-calls)
	}
	clk.Advance(2 * time.Minute)
	if _, err := s.Search(ctx, "apple"); err != nil || up.calls.Load() != calls+2 {
		t.Errorf("search expiry: %v, %d calls", err, up.calls.Load()-calls)
	}
}

func TestMetricsOnGivenRegistry(t *testing.T) {
	clk := newClock()
	_, reg := newService(t, newFakeUpstream(), clk, nil)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	if len(mfs) == 0 {
		t.Fatal("nothing registered")
	}
	// Registering twice on one registry is an error, not a panic.
	if _, err := market.New(market.Options{Registerer: reg}); err == nil {
		t.Error("second registration succeeded")
	}
	// A nil registerer is fine (nothing registered anywhere).
	if _, err := market.New(market.Options{}); err != nil {
		t.Error(err)
	}
	if _, err := market.New(market.Options{Provider: "bogus"}); err == nil {
		t.Error("bogus provider accepted")
	}
}
