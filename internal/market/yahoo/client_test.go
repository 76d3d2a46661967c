package yahoo_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/bankapp/bankapp/internal/market/yahoo"
	"github.com/shopspring/decimal"
)

// recorded is what the fake Yahoo saw.
type recorded struct {
	path, rawPath, query, userAgent, accept string
}

// fakeYahoo serves status and the contents of file (or body) for every
// request, recording the last one.
func fakeYahoo(t *testing.T, status int, file, body string, hdr map[string]string) (*httptest.Server, *recorded) {
	t.Helper()
	if file != "" {
		b, err := os.ReadFile("testdata/" + file)
		if err != nil {
			t.Fatal(err)
		}
		body = string(b)
	}
	rec := &recorded{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		*rec = recorded{r.URL.Path, r.URL.EscapedPath(), r.URL.RawQuery, r.Header.Get("User-Agent"), r.Header.Get("Accept")}
		for k, v := range hdr {
			w.Header().Set(k, v)
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv, rec
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestChartParsesFixture(t *testing.T) {
	srv, rec := fakeYahoo(t, 200, "chart-AAPL-1mo.json", "", map[string]string{"Content-Type": "application/json"})
	ch, err := yahoo.New(srv.URL+"/", nil).Chart(context.Background(), "AAPL", "1mo", "1d")
	if err != nil {
		t.Fatal(err)
	}
	if rec.path != "/v8/finance/chart/AAPL" || rec.query != "interval=1d&range=1mo" {
		t.Errorf("request %s?%s", rec.path, rec.query)
	}
	if rec.userAgent != yahoo.DefaultUserAgent || rec.accept != "application/json" {
		t.Errorf("headers UA=%q Accept=%q", rec.userAgent, rec.accept)
	}
	if !ch.Price.Equal(dec("228.58")) || ch.Price.String() != "228.58" {
		t.Errorf("price %s", ch.Price)
	}
	if !ch.PreviousClose.Equal(dec("222.42")) {
		t.Errorf("previous close %s", ch.PreviousClose)
	}
	if ch.Currency != "USD" || ch.Symbol != "AAPL" || ch.InstrumentType != "EQUITY" || ch.ExchangeName != "NMS" {
		t.Errorf("meta %+v", ch)
	}
	if !ch.MarketTime.Equal(time.Unix(1764360000, 0)) {
		t.Errorf("market time %s", ch.MarketTime)
	}
	// 21 timestamps, index 5 is a null bar.
	if len(ch.Bars) != 20 {
		t.Fatalf("%d bars, want 20 (null skipped)", len(ch.Bars))
	}
	if !ch.Bars[4].T.Equal(time.Unix(1762435800, 0)) || !ch.Bars[4].Close.Equal(dec("224.92")) {
		t.Errorf("bar 4 = %+v", ch.Bars[4])
	}
	if !ch.Bars[5].T.Equal(time.Unix(1762781400, 0)) || !ch.Bars[5].Close.Equal(dec("224.17")) {
		t.Errorf("bar after the null = %+v", ch.Bars[5])
	}
	last := ch.Bars[len(ch.Bars)-1]
	if !last.Close.Equal(dec("228.58")) {
		t.Errorf("last close %s", last.Close)
	}
}

func TestChartEscapesSymbol(t *testing.T) {
	srv, rec := fakeYahoo(t, 200, "chart-AAPL-1mo.json", "", nil)
	if _, err := yahoo.New(srv.URL, nil).Chart(context.Background(), "^GSPC/x", "1d", "5m"); err != nil {
		t.Fatal(err)
	}
	if rec.rawPath != "/v8/finance/chart/%5EGSPC%2Fx" {
		t.Errorf("raw path %s", rec.rawPath)
	}
}

func TestChartErrors(t *testing.T) {
	tests := []struct {
		name   string
		status int
		file   string
		body   string
		hdr    map[string]string
		check  func(t *testing.T, err error)
	}{
		{"404 not found", 404, "chart-not-found.json", "", nil, func(t *testing.T, err error) {
			var nf *yahoo.NotFoundError
			if !errors.As(err, &nf) || nf.Symbol != "NOPE" || nf.ErrorCode() != "not_found" {
				t.Errorf("got %T %v", err, err)
			}
		}},
		{"200 with chart.error not found", 200, "chart-not-found.json", "", nil, func(t *testing.T, err error) {
			var nf *yahoo.NotFoundError
			if !errors.As(err, &nf) {
				t.Errorf("got %T %v", err, err)
			}
		}},
		{"429 plain text", 429, "rate-limited-429.txt", "", map[string]string{"Content-Type": "text/plain", "Retry-After": "7"}, func(t *testing.T, err error) {
			var se *yahoo.StatusError
			if !errors.As(err, &se) || se.Status != 429 || se.RetryAfter != 7*time.Second || se.Body != "Too Many Requests" {
				t.Errorf("got %T %+v", err, err)
			}
		}},
		{"500", 500, "", "oops", nil, func(t *testing.T, err error) {
			var se *yahoo.StatusError
			if !errors.As(err, &se) || se.Status != 500 {
				t.Errorf("got %T %v", err, err)
			}
		}},
		{"garbage", 200, "", "<html>not json</html>", nil, func(t *testing.T, err error) {
			if !errors.Is(err, yahoo.ErrMalformed) {
				t.Errorf("got %T %v", err, err)
			}
		}},
		{"empty result", 200, "", `{"chart":{"result":[],"error":null}}`, nil, func(t *testing.T, err error) {
			if !errors.Is(err, yahoo.ErrMalformed) {
				t.Errorf("got %T %v", err, err)
			}
		}},
		{"price missing", 200, "", `{"chart":{"result":[{"meta":{"symbol":"X"},"timestamp":[],"indicators":{"quote":[{"close":[]}]}}]}}`, nil, func(t *testing.T, err error) {
			if !errors.Is(err, yahoo.ErrMalformed) {
				t.Errorf("got %T %v", err, err)
			}
		}},
		{"ragged arrays", 200, "", `{"chart":{"result":[{"meta":{"regularMarketPrice":1.5},"timestamp":[1,2],"indicators":{"quote":[{"close":[1.0]}]}}]}}`, nil, func(t *testing.T, err error) {
			if !errors.Is(err, yahoo.ErrMalformed) {
				t.Errorf("got %T %v", err, err)
			}
		}},
		{"other chart error", 200, "", `{"chart":{"result":null,"error":{"code":"Bad Request","description":"Invalid input"}}}`, nil, func(t *testing.T, err error) {
			var nf *yahoo.NotFoundError
			if err == nil || errors.As(err, &nf) || !strings.Contains(err.Error(), "Bad Request") {
				t.Errorf("got %T %v", err, err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := fakeYahoo(t, tt.status, tt.file, tt.body, tt.hdr)
			_, err := yahoo.New(srv.URL, nil).Chart(context.Background(), "NOPE", "1d", "1d")
			tt.check(t, err)
		})
	}
}

func TestChartTimeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := yahoo.New(srv.URL, nil).Chart(ctx, "AAPL", "1d", "1d")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want deadline exceeded", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %s", d)
	}
}

func TestSearchParsesFixture(t *testing.T) {
	srv, rec := fakeYahoo(t, 200, "search-apple.json", "", nil)
	res, err := yahoo.New(srv.URL, nil).WithUserAgent("test-agent").Search(context.Background(), "apple inc", 6)
	if err != nil {
		t.Fatal(err)
	}
	if rec.path != "/v1/finance/search" || rec.query != "newsCount=0&q=apple+inc&quotesCount=6" || rec.userAgent != "test-agent" {
		t.Errorf("request %s?%s UA %q", rec.path, rec.query, rec.userAgent)
	}
	want := []yahoo.SearchResult{
		{Symbol: "AAPL", Name: "Apple Inc.", QuoteType: "EQUITY", Exchange: "NMS", ExchangeDisplay: "NASDAQ"},
		{Symbol: "AAPL.NE", Name: "Apple Inc.", QuoteType: "EQUITY", Exchange: "NEO", ExchangeDisplay: "NEO"},
		{Symbol: "BTC-USD", Name: "Bitcoin USD", QuoteType: "CRYPTOCURRENCY", Exchange: "CCC", ExchangeDisplay: "CCC"},
	}
	if len(res) != len(want) {
		t.Fatalf("got %+v", res)
	}
	for i := range want {
		if res[i] != want[i] {
			t.Errorf("result %d = %+v, want %+v", i, res[i], want[i])
		}
	}
}

func TestSearchErrors(t *testing.T) {
	srv, _ := fakeYahoo(t, 429, "rate-limited-429.txt", "", nil)
	var se *yahoo.StatusError
	if _, err := yahoo.New(srv.URL, nil).Search(context.Background(), "x", 6); !errors.As(err, &se) || se.Status != 429 {
		t.Errorf("429: got %v", err)
	}
	srv2, _ := fakeYahoo(t, 200, "", "{", nil)
	if _, err := yahoo.New(srv2.URL, nil).Search(context.Background(), "x", 6); !errors.Is(err, yahoo.ErrMalformed) {
		t.Errorf("garbage: got %v", err)
	}
}

// TestChartParsesFXFixture: a currency ticker has the same chart shape;
// its price keeps every printed digit, and the float noise of the bars
// (1.0842299461364746) is kept exactly too, not re-rounded through float64.
func TestChartParsesFXFixture(t *testing.T) {
	srv, rec := fakeYahoo(t, 200, "chart-EURUSD=X-1d.json", "", nil)
	ch, err := yahoo.New(srv.URL, nil).Chart(context.Background(), "EURUSD=X", "1d", "1d")
	if err != nil {
		t.Fatal(err)
	}
	if rec.rawPath != "/v8/finance/chart/EURUSD=X" || rec.query != "interval=1d&range=1d" {
		t.Errorf("request %s?%s", rec.rawPath, rec.query)
	}
	if ch.Price.String() != "1.08423" || ch.PreviousClose.String() != "1.0831" {
		t.Errorf("price %s previous %s", ch.Price, ch.PreviousClose)
	}
	if ch.Symbol != "EURUSD=X" || ch.Currency != "USD" || ch.InstrumentType != "CURRENCY" || ch.ExchangeName != "CCY" {
		t.Errorf("meta %+v", ch)
	}
	if !ch.MarketTime.Equal(time.Unix(1764366840, 0)) {
		t.Errorf("market time %s", ch.MarketTime)
	}
	if len(ch.Bars) != 1 || ch.Bars[0].Close.String() != "1.0842299461364746" {
		t.Errorf("bars %+v", ch.Bars)
	}
}
