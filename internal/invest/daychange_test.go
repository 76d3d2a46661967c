package invest

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/market"
)

// fakeQuoter answers fixed quotes and flat histories.
type fakeQuoter struct {
	quotes map[string]market.Quote
}

func (f fakeQuoter) Quotes(_ context.Context, symbols []string) (map[string]market.Quote, error) {
	out := map[string]market.Quote{}
	for _, s := range symbols {
		out[s] = f.quotes[s]
	}
	return out, nil
}

func (f fakeQuoter) History(_ context.Context, symbol string, r market.Range) ([]market.Point, error) {
	return []market.Point{{T: time.Unix(0, 0).UTC(), Price: f.quotes[symbol].Price}}, nil
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// A position bought minutes ago moved only since its fill: its day change is
// its P&L (zero at the fill price), not quantity × the change since the
// previous close. Units held since before the baseline count from the
// previous close; a sale today counts from the baseline to its fill.
func TestDayChangeCountsTodaysTradesFromTheirFill(t *testing.T) {
	now := time.Date(2026, 12, 2, 15, 4, 0, 0, time.UTC)
	q := fakeQuoter{quotes: map[string]market.Quote{
		// Previous close 262.09, now 259.09: −3.00 a share today.
		"AAPL":    {Symbol: "AAPL", Price: dec("259.09"), Change: dec("-3.00"), Currency: "USD", AsOf: now},
		"BTC-USD": {Symbol: "BTC-USD", Price: dec("90000"), Change: dec("1000"), Currency: "USD", AsOf: now},
	}}
	acct := []ledger.Account{{ID: "b1", Currency: ledger.USD, Type: ledger.TypeBrokerage, Balance: 100000}}
	tests := []struct {
		name     string
		holdings []Holding
		orders   []Order
		want     map[string]int64 // symbol → day change in cents
	}{
		{"bought two minutes ago at the current price", []Holding{{Symbol: "AAPL", Quantity: dec("2"), CostBasis: 51818}},
			[]Order{{Symbol: "AAPL", Side: SideBuy, Quantity: dec("2"), Price: dec("259.09"), Total: 51818, CreatedAt: now.Add(-2 * time.Minute)}},
			map[string]int64{"AAPL": 0}},
		{"held since yesterday", []Holding{{Symbol: "AAPL", Quantity: dec("2"), CostBasis: 40000}},
			[]Order{{Symbol: "AAPL", Side: SideBuy, Quantity: dec("2"), Price: dec("200"), Total: 40000, CreatedAt: now.Add(-48 * time.Hour)}},
			map[string]int64{"AAPL": -600}},
		{"one held, one bought today at 260.09", []Holding{{Symbol: "AAPL", Quantity: dec("2"), CostBasis: 46009}},
			[]Order{
				{Symbol: "AAPL", Side: SideBuy, Quantity: dec("1"), Price: dec("200"), Total: 20000, CreatedAt: now.Add(-72 * time.Hour)},
				{Symbol: "AAPL", Side: SideBuy, Quantity: dec("1"), Price: dec("260.09"), Total: 26009, CreatedAt: now.Add(-time.Hour)},
			},
			map[string]int64{"AAPL": -300 - 100}},
		{"three held, one sold today at 263.09", []Holding{{Symbol: "AAPL", Quantity: dec("2"), CostBasis: 40000}},
			[]Order{
				{Symbol: "AAPL", Side: SideBuy, Quantity: dec("3"), Price: dec("200"), Total: 60000, CreatedAt: now.Add(-72 * time.Hour)},
				{Symbol: "AAPL", Side: SideSell, Quantity: dec("1"), Price: dec("263.09"), Total: 26309, CreatedAt: now.Add(-time.Hour)},
			},
			map[string]int64{"AAPL": -600 + 100}},
		{"crypto counts the last 24 hours", []Holding{{Symbol: "BTC-USD", Quantity: dec("0.01"), CostBasis: 90000}},
			[]Order{{Symbol: "BTC-USD", Side: SideBuy, Quantity: dec("0.01"), Price: dec("89500"), Total: 89500, CreatedAt: now.Add(-23 * time.Hour)}},
			map[string]int64{"BTC-USD": 500}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ValueWithOrders(context.Background(), q, nil, ledger.USD, acct, tt.holdings, tt.orders)
			if err != nil {
				t.Fatal(err)
			}
			var total int64
			for _, pos := range p.Positions {
				if pos.DayChange != tt.want[pos.Symbol] {
					t.Errorf("%s day change = %d, want %d", pos.Symbol, pos.DayChange, tt.want[pos.Symbol])
				}
				total += tt.want[pos.Symbol]
			}
			if p.DayChange != total {
				t.Errorf("portfolio day change = %d, want %d", p.DayChange, total)
			}
		})
	}
}

// Portfolio history starts at the first money in (not at the start of a
// five-year range full of zeros) and includes the cash.
func TestHistoryStartsAtFirstActivity(t *testing.T) {
	now := time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)
	funded := now.Add(-40 * 24 * time.Hour)
	q := fakeQuoter{quotes: map[string]market.Quote{"AAPL": {Symbol: "AAPL", Price: dec("100"), Currency: "USD", AsOf: now}}}
	in := HistoryInput{
		Currency: ledger.USD, Range: market.Range("5y"), Now: now,
		Cash:   []CashChange{{AccountID: "b1", At: funded, Balance: 100000}, {AccountID: "b1", At: funded.Add(time.Hour), Balance: 50000}},
		Orders: []Order{{Symbol: "AAPL", Side: SideBuy, Quantity: dec("5"), Price: dec("100"), Total: 50000, CreatedAt: funded.Add(time.Hour)}},
	}
	pts, err := History(context.Background(), q, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) < 3 {
		t.Fatalf("points %v", pts)
	}
	if !pts[0].T.Equal(funded) || pts[0].Value != 100000 {
		t.Errorf("first point %v, want the deposit at %s worth 1000.00", pts[0], funded)
	}
	for _, p := range pts {
		if p.T.Before(funded) || p.Value == 0 {
			t.Errorf("point %v before the first deposit or empty", p)
		}
	}
	if last := pts[len(pts)-1]; !last.T.Equal(now) || last.Value != 100000 {
		t.Errorf("last point %v, want now: 500.00 cash + 5 × 100.00", last)
	}
}

func TestTradeDescription(t *testing.T) {
	for _, tt := range []struct {
		side, qty, sym, price string
		c                     ledger.Currency
		want                  string
	}{
		{SideSell, "0.50000000", "AAPL", "259.09", ledger.USD, "Sold 0.5 AAPL at $259.09"},
		{SideBuy, "2.00000000", "AAPL", "259.09", ledger.USD, "Bought 2 AAPL at $259.09"},
		{SideBuy, "0.00219780", "BTC-USD", "91020.5", ledger.USD, "Bought 0.0021978 BTC-USD at $91,020.50"},
		{SideBuy, "1", "SHIB-USD", "0.0000085", ledger.EUR, "Bought 1 SHIB-USD at €0.0000085"},
		{SideBuy, "3", "MSFT", "1234567.5", ledger.GBP, "Bought 3 MSFT at £1,234,567.50"},
	} {
		if got := TradeDescription(tt.side, dec(tt.qty), tt.sym, dec(tt.price), tt.c); got != tt.want {
			t.Errorf("TradeDescription(%s %s %s %s) = %q, want %q", tt.side, tt.qty, tt.sym, tt.price, got, tt.want)
		}
	}
}
