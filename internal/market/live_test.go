package market_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bankapp/bankapp/internal/market"
	"github.com/prometheus/client_golang/prometheus"
)

// fakeUpstreams serves the Yahoo and CoinGecko fixtures from one server.
type fakeUpstreams struct {
	srv       *httptest.Server
	mu        sync.Mutex
	reqs      []*http.Request
	cgFailure atomic.Value // "", "429", "200-error"
	fxFailure atomic.Value // "", "429", "404", "wrong-currency", "wrong-symbol" (for GBPUSD=X)
}

func newFakeUpstreams(t *testing.T) *fakeUpstreams {
	t.Helper()
	file := func(name string) []byte {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	f := &fakeUpstreams{}
	f.cgFailure.Store("")
	f.fxFailure.Store("")
	mux := http.NewServeMux()
	serve := func(status int, body []byte) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
			_, _ = w.Write(body)
		}
	}
	mux.Handle("GET /v8/finance/chart/AAPL", serve(200, file("yahoo/testdata/chart-AAPL-1mo.json")))
	mux.Handle("GET /v8/finance/chart/{sym}", serve(404, file("yahoo/testdata/chart-not-found.json")))
	mux.Handle("GET /v8/finance/chart/EURUSD=X", serve(200, file("yahoo/testdata/chart-EURUSD=X-1d.json")))
	gbp, eur := file("yahoo/testdata/chart-GBPUSD=X-1d.json"), file("yahoo/testdata/chart-EURUSD=X-1d.json")
	mux.HandleFunc("GET /v8/finance/chart/GBPUSD=X", func(w http.ResponseWriter, r *http.Request) {
		switch f.fxFailure.Load() {
		case "429":
			serve(429, file("yahoo/testdata/rate-limited-429.txt"))(w, r)
		case "404":
			serve(404, file("yahoo/testdata/chart-not-found.json"))(w, r)
		case "wrong-currency":
			serve(200, bytes.Replace(gbp, []byte(`"currency": "USD"`), []byte(`"currency": "GBP"`), 1))(w, r)
		case "wrong-symbol": // EURUSD=X's body under GBPUSD=X
			serve(200, eur)(w, r)
		default:
			serve(200, gbp)(w, r)
		}
	})
	mux.Handle("GET /v1/finance/search", serve(200, file("yahoo/testdata/search-apple.json")))
	mux.Handle("GET /api/v3/coins/bitcoin/market_chart", serve(200, file("coingecko/testdata/market-chart-bitcoin-usd-30d.json")))
	mux.Handle("GET /api/v3/search", serve(200, file("coingecko/testdata/search-bitcoin.json")))
	price, limited := file("coingecko/testdata/simple-price-bitcoin-ethereum-usd.json"), file("coingecko/testdata/rate-limited-429.json")
	mux.HandleFunc("GET /api/v3/simple/price", func(w http.ResponseWriter, r *http.Request) {
		switch f.cgFailure.Load() {
		case "429":
			serve(429, limited)(w, r)
		case "200-error":
			serve(200, limited)(w, r)
		default:
			serve(200, price)(w, r)
		}
	})
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.reqs = append(f.reqs, r.Clone(context.Background()))
		f.mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

// take returns and forgets the requests seen so far.
func (f *fakeUpstreams) take() []*http.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.reqs
	f.reqs = nil
	return r
}

func newLive(t *testing.T, f *fakeUpstreams, clk *clock, tweak func(*market.Options)) (*market.Service, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	o := market.Options{
		Provider: market.ProviderLive, YahooBaseURL: f.srv.URL, CoinGeckoBaseURL: f.srv.URL,
		CoinGeckoAPIKey: "demo-key", Now: clk.Now, Registerer: reg, HTTPClient: f.srv.Client(),
	}
	if tweak != nil {
		tweak(&o)
	}
	s, err := market.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return s, reg
}

func TestLiveQuotes(t *testing.T) {
	f, clk := newFakeUpstreams(t), newClock()
	s, _ := newLive(t, f, clk, nil)
	qs, err := s.Quotes(context.Background(), []string{"eth-usd", "AAPL", "BTC-USD"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct{ price, change, pct, source string }{
		"AAPL":    {"228.58", "6.16", "2.77", "yahoo"},
		"BTC-USD": {"91234.56", "-1704.71", "-1.83", "coingecko"},
		"ETH-USD": {"3012.77", "60.29", "2.04", "coingecko"},
	}
	for sym, w := range want {
		q := qs[sym]
		if q.Price.String() != w.price || q.Change.String() != w.change || q.ChangePercent.String() != w.pct || q.Source != w.source || q.Currency != "USD" || q.Stale {
			t.Errorf("%s = %+v, want %+v", sym, q, w)
		}
	}
	if !qs["AAPL"].AsOf.Equal(time.Unix(1764360000, 0)) || !qs["BTC-USD"].AsOf.Equal(time.Unix(1764291600, 0)) {
		t.Errorf("as of %s / %s", qs["AAPL"].AsOf, qs["BTC-USD"].AsOf)
	}
	reqs := f.take()
	if len(reqs) != 2 {
		t.Fatalf("%d requests", len(reqs))
	}
	for _, r := range reqs {
		switch r.URL.Path {
		case "/v8/finance/chart/AAPL":
			if r.URL.RawQuery != "interval=1d&range=1d" || r.Header.Get("User-Agent") == "" {
				t.Errorf("yahoo request %s UA %q", r.URL, r.Header.Get("User-Agent"))
			}
		case "/api/v3/simple/price":
			if r.URL.RawQuery != "ids=bitcoin%2Cethereum&include_24hr_change=true&include_last_updated_at=true&vs_currencies=usd" {
				t.Errorf("coingecko query %s", r.URL.RawQuery)
			}
			if r.Header.Get("x-cg-demo-api-key") != "demo-key" {
				t.Errorf("coingecko headers %v", r.Header)
			}
		default:
			t.Errorf("unexpected request %s", r.URL)
		}
	}
}

func TestLiveHistoryAndSearch(t *testing.T) {
	f, clk := newFakeUpstreams(t), newClock()
	s, _ := newLive(t, f, clk, nil)
	ctx := context.Background()
	pts, err := s.History(ctx, "AAPL", market.Range1Mo)
	if err != nil || len(pts) != 20 || pts[19].Price.String() != "228.58" {
		t.Fatalf("AAPL: %d points, %v", len(pts), err)
	}
	pts, err = s.History(ctx, "btc-usd", market.Range1Mo)
	if err != nil || len(pts) != 31 || pts[1].Price.String() != "88656.01" || pts[30].Price.String() != "91470" {
		t.Fatalf("BTC: %v, %v", pts, err)
	}
	reqs := f.take()
	if len(reqs) != 2 || reqs[0].URL.String() != "/v8/finance/chart/AAPL?interval=1d&range=1mo" ||
		reqs[1].URL.String() != "/api/v3/coins/bitcoin/market_chart?days=30&vs_currency=usd" {
		t.Errorf("requests %v", reqs)
	}

	res, err := s.Search(ctx, "apple")
	if err != nil {
		t.Fatal(err)
	}
	want := []market.Instrument{
		{Symbol: "AAPL", Name: "Apple Inc.", Type: "stock", Exchange: "NASDAQ"},
		{Symbol: "AAPL.NE", Name: "Apple Inc.", Type: "stock", Exchange: "NEO"},
		{Symbol: "BTC-USD", Name: "Bitcoin USD", Type: "crypto", Exchange: "CCC"},
	}
	if len(res) != len(want) {
		t.Fatalf("search: %+v", res)
	}
	for i := range want {
		if res[i] != want[i] {
			t.Errorf("search %d: %+v, want %+v", i, res[i], want[i])
		}
	}
	seen := map[string]string{}
	for _, r := range f.take() {
		seen[r.URL.Path] = r.URL.RawQuery
	}
	if seen["/v1/finance/search"] != "newsCount=0&q=apple&quotesCount=10" || seen["/api/v3/search"] != "query=apple" {
		t.Errorf("search requests %v", seen)
	}
}

func TestLiveUnknownSymbol(t *testing.T) {
	f, clk := newFakeUpstreams(t), newClock()
	s, reg := newLive(t, f, clk, nil)
	for range 6 {
		if _, err := s.Quotes(context.Background(), []string{"AAPL", "XYZQ"}); codeOf(err) != "not_found" {
			t.Fatalf("got %v", err)
		}
	}
	if st := counter(t, reg, "bankapp_market_breaker_state", map[string]string{"provider": "yahoo"}); st != 0 {
		t.Errorf("breaker %v", st)
	}
}

func TestLiveOneUpstreamDown(t *testing.T) {
	f, clk := newFakeUpstreams(t), newClock()
	s, reg := newLive(t, f, clk, nil)
	ctx := context.Background()
	if _, err := s.Quotes(ctx, []string{"AAPL", "BTC-USD"}); err != nil {
		t.Fatal(err)
	}
	for _, failure := range []string{"429", "200-error"} {
		f.cgFailure.Store(failure)
		clk.Advance(time.Minute)
		qs, err := s.Quotes(ctx, []string{"AAPL", "BTC-USD"})
		if err != nil {
			t.Fatalf("%s: %v", failure, err)
		}
		if qs["AAPL"].Stale || !qs["BTC-USD"].Stale || qs["BTC-USD"].Price.String() != "91234.56" {
			t.Errorf("%s: AAPL stale %v, BTC stale %v", failure, qs["AAPL"].Stale, qs["BTC-USD"].Stale)
		}
		if _, err := s.Quotes(ctx, []string{"SOL-USD"}); codeOf(err) != "market_data_unavailable" {
			t.Errorf("%s: never-fetched coin: %v", failure, err)
		}
	}
	if n := counter(t, reg, "bankapp_market_upstream_errors_total", map[string]string{"provider": "coingecko", "kind": "rate_limited"}); n != 4 {
		t.Errorf("rate_limited errors %v", n)
	}
	if n := counter(t, reg, "bankapp_market_upstream_requests_total", map[string]string{"provider": "yahoo", "operation": "quotes", "outcome": "ok"}); n != 3 {
		t.Errorf("yahoo ok %v", n)
	}
}

func TestLiveProKey(t *testing.T) {
	f, clk := newFakeUpstreams(t), newClock()
	s, _ := newLive(t, f, clk, func(o *market.Options) { o.CoinGeckoPro, o.CoinGeckoAPIKey = true, "pro-key" })
	if _, err := s.Quote(context.Background(), "BTC-USD"); err != nil {
		t.Fatal(err)
	}
	r := f.take()[0]
	if r.Header.Get("x-cg-pro-api-key") != "pro-key" || r.Header.Get("x-cg-demo-api-key") != "" {
		t.Errorf("headers %v", r.Header)
	}
}
