package market_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/bankapp/bankapp/internal/market"
)

func TestParseRange(t *testing.T) {
	for _, s := range []string{"1d", "5d", "1mo", "6mo", "1y", "5y"} {
		r, err := market.ParseRange(s)
		if err != nil || string(r) != s || !r.Valid() || r.Span() <= 0 || r.Interval() <= 0 {
			t.Errorf("%q: %v %v", s, r, err)
		}
	}
	for _, s := range []string{"", "1D", "1m", "3mo", "2y", "max", "ytd", " 1d", "1d\x00"} {
		if _, err := market.ParseRange(s); codeOf(err) != "invalid_parameter" {
			t.Errorf("%q accepted: %v", s, err)
		}
	}
	if len(market.Ranges()) != 6 {
		t.Error(market.Ranges())
	}
}

func TestRoundPrice(t *testing.T) {
	for in, want := range map[string]string{
		"228.585":          "228.58", // half-even
		"228.595":          "228.6",
		"91469.999942":     "91470",
		"1":                "1",
		"0.99999949":       "0.999999",
		"0.1634567891":     "0.163457",
		"0.0000123456789":  "0.0000123457",
		"0.00000000000001": "0",
		"0":                "0",
	} {
		if got := market.RoundPrice(dec(in)).String(); got != want {
			t.Errorf("RoundPrice(%s) = %s, want %s", in, got, want)
		}
	}
	for in, want := range map[string]string{"91470": "91470.00", "0.1634": "0.1634", "12.5": "12.50", "0.0000123457": "0.0000123457"} {
		if got := market.FormatPrice(dec(in)); got != want {
			t.Errorf("FormatPrice(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestQuoteJSON(t *testing.T) {
	q := market.Quote{Symbol: "BTC-USD", Price: dec("91470"), Currency: "USD", Change: dec("-12.5"), ChangePercent: dec("-0.1"),
		AsOf: time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("x", 3600)), Source: "coingecko", Stale: true}
	b, err := json.Marshal(q)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"symbol":"BTC-USD","price":"91470.00","currency":"USD","change":"-12.50","change_percent":"-0.10","as_of":"2026-01-02T02:04:05Z","source":"coingecko","stale":true}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	b, _ = json.Marshal(market.Point{T: time.Unix(0, 0), Price: dec("0.000012")})
	if string(b) != `{"t":"1970-01-01T00:00:00Z","price":"0.000012"}` {
		t.Errorf("point %s", b)
	}
}

func TestNormalizeSymbol(t *testing.T) {
	for in, want := range map[string]string{" aapl ": "AAPL", "brk-b": "BRK-B", "^gspc": "^GSPC", "eurusd=x": "EURUSD=X", "aapl.ne": "AAPL.NE"} {
		if got, ok := market.NormalizeSymbol(in); !ok || got != want {
			t.Errorf("%q → %q %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "  ", "a/b", "a b", "AAPL%2F", "ÄPFEL", "ABCDEFGHIJKLMNOPQRSTU"} {
		if _, ok := market.NormalizeSymbol(in); ok {
			t.Errorf("%q accepted", in)
		}
	}
}

func TestPointAt(t *testing.T) {
	t0 := time.Unix(1000, 0)
	pts := []market.Point{{T: t0, Price: dec("1")}, {T: t0.Add(time.Hour), Price: dec("2")}, {T: t0.Add(2 * time.Hour), Price: dec("3")}}
	for _, tc := range []struct {
		at   time.Duration
		want string
		ok   bool
	}{{-time.Second, "", false}, {0, "1", true}, {59 * time.Minute, "1", true}, {time.Hour, "2", true}, {5 * time.Hour, "3", true}} {
		p, ok := market.PointAt(pts, t0.Add(tc.at))
		if ok != tc.ok || (ok && p.String() != tc.want) {
			t.Errorf("at %s: %s %v", tc.at, p, ok)
		}
	}
	if _, ok := market.PointAt(nil, t0); ok {
		t.Error("empty")
	}
}
