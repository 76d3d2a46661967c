package coingecko_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bankapp/bankapp/internal/market/coingecko"
	"github.com/shopspring/decimal"
)

// fakeCG is a fake CoinGecko that records requests and answers with a
// handler chosen by the test.
type fakeCG struct {
	mu   sync.Mutex
	reqs []*http.Request
	srv  *httptest.Server
}

func newFake(t *testing.T, h func(w http.ResponseWriter, r *http.Request)) *fakeCG {
	t.Helper()
	f := &fakeCG{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.reqs = append(f.reqs, r.Clone(context.Background()))
		f.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeCG) requests() []*http.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]*http.Request(nil), f.reqs...)
}

func serveFile(t *testing.T, status int, name string) func(http.ResponseWriter, *http.Request) {
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(b)
	}
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestSimplePriceFixtureAndDemoKey(t *testing.T) {
	f := newFake(t, serveFile(t, 200, "simple-price-bitcoin-ethereum-usd.json"))
	c := coingecko.New(coingecko.Config{BaseURL: f.srv.URL, APIKey: "demo-123"})
	got, err := c.SimplePrice(context.Background(), []string{"bitcoin", "ethereum", "nope"}, "usd")
	if err != nil {
		t.Fatal(err)
	}
	r := f.requests()[0]
	if r.URL.Path != "/api/v3/simple/price" {
		t.Errorf("path %s", r.URL.Path)
	}
	wantQ := url.Values{"ids": {"bitcoin,ethereum,nope"}, "vs_currencies": {"usd"}, "include_24hr_change": {"true"}, "include_last_updated_at": {"true"}}
	if r.URL.Query().Encode() != wantQ.Encode() {
		t.Errorf("query %s, want %s", r.URL.RawQuery, wantQ.Encode())
	}
	if r.Header.Get("x-cg-demo-api-key") != "demo-123" || r.Header.Get("x-cg-pro-api-key") != "" {
		t.Errorf("key headers %v", r.Header)
	}
	if r.Header.Get("User-Agent") != coingecko.DefaultUserAgent || r.Header.Get("Accept") != "application/json" {
		t.Errorf("headers %v", r.Header)
	}
	btc := got["bitcoin"]
	if btc.Price.String() != "91234.56" || btc.Change24hPct.String() != "-1.8342155" || !btc.HasChange {
		t.Errorf("bitcoin %+v", btc)
	}
	if !btc.HasLastUpdated || !btc.LastUpdatedAt.Equal(time.Unix(1764291600, 0)) {
		t.Errorf("bitcoin updated %v", btc.LastUpdatedAt)
	}
	if eth := got["ethereum"]; !eth.Price.Equal(dec("3012.77")) || !eth.Change24hPct.Equal(dec("2.0419")) {
		t.Errorf("ethereum %+v", eth)
	}
	if _, ok := got["nope"]; ok || len(got) != 2 {
		t.Errorf("unknown id present: %v", got)
	}
}

func TestSimplePriceBatchesOf50(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		var parts []string
		for _, id := range strings.Split(r.URL.Query().Get("ids"), ",") {
			parts = append(parts, fmt.Sprintf("%q:{\"usd\":1.5}", id))
		}
		fmt.Fprintf(w, "{%s}", strings.Join(parts, ","))
	})
	ids := make([]string, 120)
	for i := range ids {
		ids[i] = fmt.Sprintf("coin-%d", i)
	}
	got, err := coingecko.New(coingecko.Config{BaseURL: f.srv.URL}).SimplePrice(context.Background(), ids, "usd")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 120 || !got["coin-119"].Price.Equal(dec("1.5")) || got["coin-0"].HasChange {
		t.Errorf("got %d prices", len(got))
	}
	reqs := f.requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	for i, want := range []int{50, 50, 20} {
		n := len(strings.Split(reqs[i].URL.Query().Get("ids"), ","))
		if n != want {
			t.Errorf("request %d had %d ids, want %d", i, n, want)
		}
		if reqs[i].Header.Get("x-cg-demo-api-key") != "" || reqs[i].Header.Get("x-cg-pro-api-key") != "" {
			t.Errorf("key header sent without a key")
		}
	}
}

func TestProKeyAndBaseURL(t *testing.T) {
	f := newFake(t, serveFile(t, 200, "search-bitcoin.json"))
	c := coingecko.New(coingecko.Config{BaseURL: f.srv.URL + "/api/v3/", APIKey: "pro-9", Pro: true})
	if _, err := c.Search(context.Background(), "bitcoin"); err != nil {
		t.Fatal(err)
	}
	r := f.requests()[0]
	if r.URL.Path != "/api/v3/search" || r.Header.Get("x-cg-pro-api-key") != "pro-9" || r.Header.Get("x-cg-demo-api-key") != "" {
		t.Errorf("path %s headers %v", r.URL.Path, r.Header)
	}
}

func TestMarketChartFixture(t *testing.T) {
	f := newFake(t, serveFile(t, 200, "market-chart-bitcoin-usd-30d.json"))
	pts, err := coingecko.New(coingecko.Config{BaseURL: f.srv.URL}).MarketChart(context.Background(), "bitcoin", "usd", 30)
	if err != nil {
		t.Fatal(err)
	}
	r := f.requests()[0]
	if r.URL.Path != "/api/v3/coins/bitcoin/market_chart" || r.URL.RawQuery != "days=30&vs_currency=usd" {
		t.Errorf("request %s?%s", r.URL.Path, r.URL.RawQuery)
	}
	if len(pts) != 31 {
		t.Fatalf("%d points", len(pts))
	}
	if !pts[0].T.Equal(time.UnixMilli(1761696000000)) || !pts[0].Price.Equal(dec("88000")) {
		t.Errorf("first %+v", pts[0])
	}
	if pts[1].Price.String() != "88656.009898" {
		t.Errorf("second price %s (must be exact)", pts[1].Price)
	}
	if last := pts[30]; !last.T.Equal(time.UnixMilli(1764288000000)) || last.Price.String() != "91469.999942" {
		t.Errorf("last %+v", last)
	}
}

func TestSearchFixture(t *testing.T) {
	f := newFake(t, serveFile(t, 200, "search-bitcoin.json"))
	coins, err := coingecko.New(coingecko.Config{BaseURL: f.srv.URL}).Search(context.Background(), "bit coin")
	if err != nil {
		t.Fatal(err)
	}
	if r := f.requests()[0]; r.URL.Path != "/api/v3/search" || r.URL.RawQuery != "query=bit+coin" {
		t.Errorf("request %s?%s", r.URL.Path, r.URL.RawQuery)
	}
	want := []coingecko.Coin{{ID: "bitcoin", Name: "Bitcoin", Symbol: "BTC", MarketCapRank: 1}, {ID: "wrapped-bitcoin", Name: "Wrapped Bitcoin", Symbol: "WBTC", MarketCapRank: 17}}
	if len(coins) != 2 || coins[0] != want[0] || coins[1] != want[1] {
		t.Errorf("got %+v", coins)
	}
}

func TestErrors(t *testing.T) {
	rateLimited := func(t *testing.T, status int) func(*testing.T, error) {
		return func(t *testing.T, err error) {
			var ae *coingecko.APIError
			if !errors.As(err, &ae) || !ae.RateLimited() || ae.Status != status || ae.Code != 429 || !strings.Contains(ae.Message, "Rate Limit") {
				t.Errorf("got %T %v", err, err)
			}
		}
	}
	tests := []struct {
		name  string
		h     func(http.ResponseWriter, *http.Request)
		check func(*testing.T, error)
	}{
		{"429 JSON with Retry-After", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "60")
			serveFile(t, 429, "rate-limited-429.json")(w, r)
		}, func(t *testing.T, err error) {
			rateLimited(t, 429)(t, err)
			var ae *coingecko.APIError
			if errors.As(err, &ae) && ae.RetryAfter != time.Minute {
				t.Errorf("retry after %s", ae.RetryAfter)
			}
		}},
		{"error body with 200", serveFile(t, 200, "rate-limited-429.json"), rateLimited(t, 200)},
		{"429 plain text", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(429)
			_, _ = w.Write([]byte("Throttled"))
		}, func(t *testing.T, err error) {
			var ae *coingecko.APIError
			if !errors.As(err, &ae) || !ae.RateLimited() || ae.Message != "Throttled" {
				t.Errorf("got %T %v", err, err)
			}
		}},
		{"401 bad key", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(401)
			_, _ = w.Write([]byte(`{"status":{"error_code":10002,"error_message":"API Key Missing"}}`))
		}, func(t *testing.T, err error) {
			var ae *coingecko.APIError
			if !errors.As(err, &ae) || ae.Status != 401 || ae.Code != 10002 || ae.RateLimited() {
				t.Errorf("got %T %v", err, err)
			}
		}},
		{"garbage", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("<html>")) }, func(t *testing.T, err error) {
			if !errors.Is(err, coingecko.ErrMalformed) {
				t.Errorf("got %T %v", err, err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, tt.h)
			_, err := coingecko.New(coingecko.Config{BaseURL: f.srv.URL}).SimplePrice(context.Background(), []string{"bitcoin"}, "usd")
			tt.check(t, err)
		})
	}
}

func TestMarketChartErrors(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(404)
		_, _ = w.Write([]byte(`{"error":"coin not found"}`))
	})
	_, err := coingecko.New(coingecko.Config{BaseURL: f.srv.URL}).MarketChart(context.Background(), "nope", "usd", 1)
	var nf *coingecko.NotFoundError
	if !errors.As(err, &nf) || nf.ID != "nope" || nf.ErrorCode() != "not_found" {
		t.Errorf("404: got %T %v", err, err)
	}
	for _, body := range []string{`{"prices":[[1,2,3]]}`, `{"market_caps":[]}`, `[`} {
		f := newFake(t, func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(body)) })
		_, err := coingecko.New(coingecko.Config{BaseURL: f.srv.URL}).MarketChart(context.Background(), "bitcoin", "usd", 1)
		if !errors.Is(err, coingecko.ErrMalformed) {
			t.Errorf("%s: got %v", body, err)
		}
	}
	f2 := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"prices":[[1700000000000,null],[1700000060000,1.2e-05]]}`))
	})
	pts, err := coingecko.New(coingecko.Config{BaseURL: f2.srv.URL}).MarketChart(context.Background(), "shiba-inu", "usd", 1)
	if err != nil || len(pts) != 1 || pts[0].Price.String() != "0.000012" {
		t.Errorf("null and exponent: %v %v", pts, err)
	}
}

func TestTimeout(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := coingecko.New(coingecko.Config{BaseURL: f.srv.URL}).SimplePrice(ctx, []string{"bitcoin"}, "usd")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v", err)
	}
}

func TestDefaultBaseURLs(t *testing.T) {
	// The defaults are the public hosts; checked through the request URL a
	// transport sees, without any network.
	for _, tc := range []struct {
		pro  bool
		want string
	}{{false, "https://api.coingecko.com/api/v3/search?query=x"}, {true, "https://pro-api.coingecko.com/api/v3/search?query=x"}} {
		var seen string
		hc := &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
			seen = r.URL.String()
			return nil, errors.New("offline")
		})}
		_, _ = coingecko.New(coingecko.Config{Pro: tc.pro, HTTPClient: hc}).Search(context.Background(), "x")
		if seen != tc.want {
			t.Errorf("pro=%v: %s, want %s", tc.pro, seen, tc.want)
		}
	}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
