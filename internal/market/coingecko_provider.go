package market

import (
	"context"
	"time"

	"github.com/bankapp/bankapp/internal/market/coingecko"
	"github.com/shopspring/decimal"
)

// CoinGecko adapts a CoinGecko client to Provider for the crypto listings of
// the catalogue (BTC-USD ↔ bitcoin); other symbols are unknown to it.
type CoinGecko struct {
	c   *coingecko.Client
	now func() time.Time
}

// NewCoinGecko returns a Provider backed by c; now stamps quotes that come
// without last_updated_at (time.Now when nil).
func NewCoinGecko(c *coingecko.Client, now func() time.Time) *CoinGecko {
	if now == nil {
		now = time.Now
	}
	return &CoinGecko{c: c, now: now}
}

// Quotes implements Provider with simple/price (≤ 50 ids a request). The
// change is derived from the 24 h change percent: change = price × pct /
// (100 + pct), rounded to the price's decimals.
func (g *CoinGecko) Quotes(ctx context.Context, symbols []string) (map[string]Quote, error) {
	syms, err := normalizeSymbols(symbols)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(syms))
	for i, sym := range syms {
		id, ok := CoinGeckoID(sym)
		if !ok {
			return nil, &UnknownSymbolError{Symbol: sym}
		}
		ids[i] = id
	}
	prices, err := g.c.SimplePrice(ctx, ids, "usd")
	if err != nil {
		return nil, err
	}
	out := make(map[string]Quote, len(syms))
	for i, sym := range syms {
		p, ok := prices[ids[i]]
		if !ok {
			return nil, &UnknownSymbolError{Symbol: sym}
		}
		q := Quote{Symbol: sym, Price: RoundPrice(p.Price), Currency: "USD", AsOf: p.LastUpdatedAt, Source: SourceCoinGecko}
		if !p.HasLastUpdated {
			q.AsOf = g.now().UTC()
		}
		if p.HasChange {
			hundred := decimal.NewFromInt(100)
			places := max(2, -q.Price.Exponent())
			if den := hundred.Add(p.Change24hPct); !den.IsZero() {
				q.Change = q.Price.Mul(p.Change24hPct).DivRound(den, places+4).RoundBank(places)
			}
			q.ChangePercent = p.Change24hPct.RoundBank(2)
		}
		out[sym] = q
	}
	return out, nil
}

// History implements Provider with coins/{id}/market_chart.
func (g *CoinGecko) History(ctx context.Context, symbol string, r Range) ([]Point, error) {
	id, ok := CoinGeckoID(symbol)
	if !ok {
		return nil, &UnknownSymbolError{Symbol: symbol}
	}
	pts, err := g.c.MarketChart(ctx, id, "usd", r.CoinGeckoDays())
	if err != nil {
		if isNotFound(err) {
			return nil, &UnknownSymbolError{Symbol: symbol}
		}
		return nil, err
	}
	out := make([]Point, len(pts))
	for i, p := range pts {
		out[i] = Point{T: p.T, Price: RoundPrice(p.Price)}
	}
	return out, nil
}

// Search implements Provider with /search, keeping the coins that the
// catalogue maps to a ticker (others could not be quoted).
func (g *CoinGecko) Search(ctx context.Context, q string) ([]Instrument, error) {
	coins, err := g.c.Search(ctx, q)
	if err != nil {
		return nil, err
	}
	out := []Instrument{}
	for _, c := range coins {
		sym, ok := SymbolForCoinGeckoID(c.ID)
		if !ok {
			continue
		}
		l, _ := LookupListing(sym)
		out = append(out, l.Instrument)
	}
	return out, nil
}
