package market_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/bankapp/bankapp/internal/market"
)

func TestCatalog(t *testing.T) {
	var stocks, crypto int
	syms, ids := map[string]bool{}, map[string]bool{}
	for _, l := range market.Catalog() {
		if syms[l.Symbol] {
			t.Errorf("duplicate symbol %s", l.Symbol)
		}
		syms[l.Symbol] = true
		if s, ok := market.NormalizeSymbol(l.Symbol); !ok || s != l.Symbol {
			t.Errorf("%s is not a canonical symbol", l.Symbol)
		}
		if !l.BasePrice.IsPositive() || l.Name == "" || l.Exchange == "" {
			t.Errorf("bad listing %+v", l)
		}
		switch l.Type {
		case market.TypeStock:
			stocks++
			if l.CoinGeckoID != "" || market.IsCrypto(l.Symbol) {
				t.Errorf("stock %s has a coin id", l.Symbol)
			}
		case market.TypeCrypto:
			crypto++
			if !strings.HasSuffix(l.Symbol, "-USD") || l.CoinGeckoID == "" || ids[l.CoinGeckoID] {
				t.Errorf("crypto %s: id %q", l.Symbol, l.CoinGeckoID)
			}
			ids[l.CoinGeckoID] = true
			id, ok := market.CoinGeckoID(strings.ToLower(l.Symbol))
			back, ok2 := market.SymbolForCoinGeckoID(id)
			if !ok || !ok2 || back != l.Symbol {
				t.Errorf("mapping %s → %s → %s", l.Symbol, id, back)
			}
		default:
			t.Errorf("%s: type %q", l.Symbol, l.Type)
		}
	}
	if stocks < 40 || crypto < 15 {
		t.Errorf("%d stocks/ETFs and %d cryptocurrencies, want ≥ 40 and ≥ 15", stocks, crypto)
	}
	if id, _ := market.CoinGeckoID("BTC-USD"); id != "bitcoin" {
		t.Errorf("BTC-USD → %q", id)
	}
	if _, ok := market.CoinGeckoID("AAPL"); ok {
		t.Error("AAPL has a coin id")
	}
	// Catalog returns copies.
	c := market.Catalog()
	c[0].Name = "changed"
	if market.Catalog()[0].Name == "changed" {
		t.Error("catalog is mutable")
	}
}

func TestSimulatedDeterministic(t *testing.T) {
	t0 := time.Date(2026, 5, 7, 13, 45, 30, 0, time.UTC)
	clk1, clk2 := &clock{t: t0}, &clock{t: t0.Add(20 * time.Second)} // same minute
	a, b := market.NewSimulated(0, clk1.Now), market.NewSimulated(0, clk2.Now)
	syms := []string{"AAPL", "BTC-USD", "SHIB-USD", "SPY", "DOGE-USD"}
	for i := range 200 {
		qa, err := a.Quotes(context.Background(), syms)
		if err != nil {
			t.Fatal(err)
		}
		qb, _ := b.Quotes(context.Background(), syms)
		for _, s := range syms {
			if !qa[s].Price.Equal(qb[s].Price) || !qa[s].Change.Equal(qb[s].Change) || !qa[s].AsOf.Equal(qb[s].AsOf) {
				t.Fatalf("step %d %s: %+v vs %+v", i, s, qa[s], qb[s])
			}
			p, _ := a.PriceAt(s, clk1.Now())
			if !p.Equal(qa[s].Price) {
				t.Fatalf("PriceAt %s %s vs quote %s", s, p, qa[s].Price)
			}
		}
		clk1.Advance(7 * time.Minute)
		clk2.Advance(7 * time.Minute)
	}
	other := market.NewSimulated(42, clk1.Now)
	qa, _ := a.Quotes(context.Background(), syms)
	qo, _ := other.Quotes(context.Background(), syms)
	same := 0
	for _, s := range syms {
		if qa[s].Price.Equal(qo[s].Price) {
			same++
		}
	}
	if same == len(syms) {
		t.Error("seed has no effect")
	}
}

func TestSimulatedHistoryAgreesWithQuotes(t *testing.T) {
	clk := newClock()
	sim := market.NewSimulated(0, clk.Now)
	ctx := context.Background()
	wantLen := map[market.Range][2]int{ // min, max points
		market.Range1D: {288, 290}, market.Range5D: {240, 242}, market.Range1Mo: {30, 32},
		market.Range6Mo: {182, 184}, market.Range1Y: {365, 367}, market.Range5Y: {260, 262},
	}
	for _, sym := range []string{"AAPL", "ETH-USD", "SHIB-USD"} {
		q, _ := sim.Quotes(ctx, []string{sym})
		for _, r := range market.Ranges() {
			pts, err := sim.History(ctx, sym, r)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(pts); n < wantLen[r][0] || n > wantLen[r][1] {
				t.Errorf("%s %s: %d points", sym, r, n)
			}
			last := pts[len(pts)-1]
			if !last.T.Equal(q[sym].AsOf) || !last.Price.Equal(q[sym].Price) {
				t.Errorf("%s %s: last point %+v, quote %+v", sym, r, last, q[sym])
			}
			if pts[0].T.Before(clk.Now().Add(-r.Span())) {
				t.Errorf("%s %s: first point %s before the range", sym, r, pts[0].T)
			}
			for i, p := range pts {
				if i > 0 && !p.T.After(pts[i-1].T) {
					t.Fatalf("%s %s: points not ascending at %d", sym, r, i)
				}
				if pp, _ := sim.PriceAt(sym, p.T); !pp.Equal(p.Price) {
					t.Fatalf("%s %s: point %s = %s, PriceAt = %s", sym, r, p.T, p.Price, pp)
				}
			}
		}
	}
}

func TestSimulatedPrices(t *testing.T) {
	clk := newClock()
	sim := market.NewSimulated(0, clk.Now)
	for _, l := range market.Catalog() {
		for _, d := range []time.Duration{0, 3 * time.Hour, 400 * 24 * time.Hour, 1500 * 24 * time.Hour} {
			p, err := sim.PriceAt(l.Symbol, clk.Now().Add(-d))
			if err != nil {
				t.Fatal(err)
			}
			lo, hi := l.BasePrice.Div(dec("10")), l.BasePrice.Mul(dec("2"))
			if !p.IsPositive() || p.LessThan(lo) || p.GreaterThan(hi) {
				t.Errorf("%s at -%s: %s (base %s)", l.Symbol, d, p, l.BasePrice)
			}
			if l.BasePrice.GreaterThan(dec("2")) && p.Exponent() < -2 {
				t.Errorf("%s: %s has more than 2 decimals", l.Symbol, p)
			}
		}
	}
	if _, err := sim.PriceAt("ZZZZ", clk.Now()); codeOf(err) != "not_found" {
		t.Errorf("unknown: %v", err)
	}
	if _, err := sim.Quotes(context.Background(), []string{"AAPL", "ZZZZ"}); codeOf(err) != "not_found" {
		t.Errorf("unknown quote: %v", err)
	}
}

// TestSimulatedGolden pins prices so that a change to the walk (which would
// rewrite every customer's portfolio history) is a deliberate act.
func TestSimulatedGolden(t *testing.T) {
	at := time.Date(2026, 1, 2, 15, 30, 0, 0, time.UTC)
	sim := market.NewSimulated(0, func() time.Time { return at })
	got := map[string]string{}
	for _, s := range []string{"AAPL", "BTC-USD", "SHIB-USD"} {
		p, _ := sim.PriceAt(s, at)
		got[s] = p.String()
	}
	want := map[string]string{"AAPL": "271.72", "BTC-USD": "77712.45", "SHIB-USD": "0.0000116515"}
	for s, w := range want {
		if got[s] != w {
			t.Errorf("%s = %s, golden %s", s, got[s], w)
		}
	}
}

func TestSimulatedSearch(t *testing.T) {
	sim := market.NewSimulated(0, nil)
	res, _ := sim.Search(context.Background(), "btc")
	if len(res) == 0 || res[0].Symbol != "BTC-USD" || res[0].Type != market.TypeCrypto {
		t.Errorf("btc: %+v", res)
	}
	res, _ = sim.Search(context.Background(), "apple")
	if len(res) != 1 || res[0] != (market.Instrument{Symbol: "AAPL", Name: "Apple Inc.", Type: "stock", Exchange: "NASDAQ"}) {
		t.Errorf("apple: %+v", res)
	}
	res, _ = sim.Search(context.Background(), "a")
	if len(res) != 10 || res[0].Symbol != "AAPL" {
		t.Errorf("a: %d results, first %+v", len(res), res)
	}
	if res, _ := sim.Search(context.Background(), "zzzzqq"); res == nil || len(res) != 0 {
		t.Errorf("no match: %#v", res)
	}
}

// helperEnv asks the test binary, re-executed, to print simulated prices.
const helperEnv = "BANKAPP_MARKET_SIM_HELPER"

func simulatedDump(at time.Time) string {
	sim := market.NewSimulated(0, func() time.Time { return at })
	var b strings.Builder
	for _, l := range market.Catalog() {
		p, _ := sim.PriceAt(l.Symbol, at)
		fmt.Fprintf(&b, "%s=%s\n", l.Symbol, p)
	}
	fxr := sim.FXRatesAt(at)
	for _, c := range market.FXCurrencies()[1:] {
		p, _ := fxr.USDPrice(c)
		fmt.Fprintf(&b, "%sUSD=%s\n", c, p)
	}
	return b.String()
}

func TestMain(m *testing.M) {
	if v := os.Getenv(helperEnv); v != "" {
		sec := int64(0)
		fmt.Sscan(v, &sec)
		fmt.Print(simulatedDump(time.Unix(sec, 0)))
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestSimulatedAcrossProcesses runs this test binary again as a separate
// process and compares every catalogue price and exchange rate at a given
// instant.
func TestSimulatedAcrossProcesses(t *testing.T) {
	at := time.Date(2026, 11, 28, 9, 41, 0, 0, time.UTC)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%d", helperEnv, at.Unix()))
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := simulatedDump(at); string(out) != want {
		t.Errorf("child process prices differ:\n%s\nwant\n%s", out, want)
	}
	if n := strings.Count(string(out), "\n"); n != len(market.Catalog())+2 || !strings.Contains(string(out), "\nGBPUSD=1.") {
		t.Errorf("%d lines", n)
	}
}
