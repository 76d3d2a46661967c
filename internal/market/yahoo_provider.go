package market

import (
	"context"
	"sync"

	"github.com/bankapp/bankapp/internal/market/yahoo"
	"golang.org/x/sync/errgroup"
)

// yahooParallel bounds concurrent chart requests of one Quotes call (the
// chart endpoint takes one symbol).
const yahooParallel = 8

// Yahoo adapts a Yahoo Finance client to Provider (stocks, ETFs, and any
// crypto Yahoo lists).
type Yahoo struct {
	c *yahoo.Client
}

// NewYahoo returns a Provider backed by c.
func NewYahoo(c *yahoo.Client) *Yahoo { return &Yahoo{c: c} }

// Quotes implements Provider with one chart request (range=1d, interval=1d)
// per symbol: the price is meta.regularMarketPrice, the change is against
// meta.chartPreviousClose, both rounded with RoundPrice.
func (y *Yahoo) Quotes(ctx context.Context, symbols []string) (map[string]Quote, error) {
	syms, err := normalizeSymbols(symbols)
	if err != nil {
		return nil, err
	}
	var mu sync.Mutex
	out := make(map[string]Quote, len(syms))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(yahooParallel)
	for _, sym := range syms {
		g.Go(func() error {
			ch, err := y.c.Chart(ctx, sym, "1d", "1d")
			if err != nil {
				return yahooErr(sym, err)
			}
			price := RoundPrice(ch.Price)
			change, pct := changeFrom(price, RoundPrice(ch.PreviousClose))
			q := Quote{
				Symbol: sym, Price: price, Currency: ch.Currency,
				Change: change, ChangePercent: pct,
				AsOf: ch.MarketTime, Source: SourceYahoo,
			}
			if q.Currency == "" {
				q.Currency = "USD"
			}
			mu.Lock()
			out[sym] = q
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

// History implements Provider with the chart endpoint at r's interval; null
// bars are skipped.
func (y *Yahoo) History(ctx context.Context, symbol string, r Range) ([]Point, error) {
	sym, ok := NormalizeSymbol(symbol)
	if !ok {
		return nil, &UnknownSymbolError{Symbol: symbol}
	}
	ch, err := y.c.Chart(ctx, sym, string(r), r.YahooInterval())
	if err != nil {
		return nil, yahooErr(sym, err)
	}
	pts := make([]Point, len(ch.Bars))
	for i, b := range ch.Bars {
		pts[i] = Point{T: b.T, Price: RoundPrice(b.Close)}
	}
	return pts, nil
}

// Search implements Provider with the v1 search endpoint, keeping equities
// and ETFs (type stock) and cryptocurrencies (type crypto).
func (y *Yahoo) Search(ctx context.Context, q string) ([]Instrument, error) {
	res, err := y.c.Search(ctx, q, searchLimit)
	if err != nil {
		return nil, err
	}
	out := make([]Instrument, 0, len(res))
	for _, r := range res {
		in := Instrument{Symbol: r.Symbol, Name: r.Name, Exchange: r.ExchangeDisplay}
		if in.Exchange == "" {
			in.Exchange = r.Exchange
		}
		switch r.QuoteType {
		case "EQUITY", "ETF":
			in.Type = TypeStock
		case "CRYPTOCURRENCY":
			in.Type = TypeCrypto
		default:
			continue
		}
		out = append(out, in)
	}
	return out, nil
}

// yahooErr turns the client's not-found into the market's.
func yahooErr(sym string, err error) error {
	if isNotFound(err) {
		return &UnknownSymbolError{Symbol: sym}
	}
	return err
}
