// Package market provides stock and crypto prices and currency exchange
// rates to the rest of BankApp.
//
// Provider is the interface every price source implements: the simulated
// market (the default, deterministic and offline), Yahoo Finance for stocks
// and ETFs, and CoinGecko for crypto (combined by Live). FXProvider is the
// same for exchange rates: the simulated walk, or Yahoo's EURUSD=X and
// GBPUSD=X. Service sits in front of both and adds caching, request
// coalescing, per-provider timeouts and circuit breakers, stale-if-error and
// Prometheus metrics. Prices are exact decimals and rates exact fixed-point
// (fx.Rate); see docs/market-data.md and docs/fx.md.
package market

import (
	"context"
	"sort"
	"time"

	"github.com/shopspring/decimal"
)

// Instrument types.
const (
	TypeStock  = "stock"
	TypeCrypto = "crypto"
)

// Sources reported in Quote.Source.
const (
	SourceSimulated = "simulated"
	SourceYahoo     = "yahoo"
	SourceCoinGecko = "coingecko"
)

// Quote is the latest price of one instrument.
type Quote struct {
	Symbol string          `json:"symbol"`
	Price  decimal.Decimal `json:"price"`
	// Currency is the ISO 4217 code of Price (always "USD" today).
	Currency string `json:"currency"`
	// Change is Price minus the previous close (stocks) or the price 24 h
	// ago (crypto); ChangePercent is that change in percent, 2 decimals.
	Change        decimal.Decimal `json:"change"`
	ChangePercent decimal.Decimal `json:"change_percent"`
	// AsOf is when the upstream says the price was made.
	AsOf   time.Time `json:"as_of"`
	Source string    `json:"source"`
	// Stale is true when upstream failed and this is the last good quote.
	Stale bool `json:"stale"`
}

// Point is one price in a history.
type Point struct {
	T     time.Time       `json:"t"`
	Price decimal.Decimal `json:"price"`
}

// Instrument is a tradable symbol as returned by Search.
type Instrument struct {
	Symbol   string `json:"symbol"`
	Name     string `json:"name"`
	Type     string `json:"type"` // TypeStock or TypeCrypto
	Exchange string `json:"exchange"`
}

// Provider is a source of prices. Symbols are Yahoo-style tickers: AAPL,
// BRK-B, BTC-USD.
type Provider interface {
	// Quotes returns a quote for every requested symbol, keyed by the
	// canonical (upper-case) symbol, or an error; an unknown symbol is an
	// *UnknownSymbolError.
	Quotes(ctx context.Context, symbols []string) (map[string]Quote, error)
	// History returns prices over r, oldest first.
	History(ctx context.Context, symbol string, r Range) ([]Point, error)
	// Search finds instruments by symbol or name.
	Search(ctx context.Context, q string) ([]Instrument, error)
}

// PointAt returns the price in effect at t in pts (sorted oldest first):
// the price of the last point at or before t. ok is false when t is before
// the first point. Portfolio history uses it to value holdings whose
// histories have different timestamps (Yahoo and CoinGecko do not align).
func PointAt(pts []Point, t time.Time) (price decimal.Decimal, ok bool) {
	i := sort.Search(len(pts), func(i int) bool { return pts[i].T.After(t) })
	if i == 0 {
		return decimal.Decimal{}, false
	}
	return pts[i-1].Price, true
}

// Compile-time checks that every provider implements Provider.
var (
	_ Provider = (*Service)(nil)
	_ Provider = (*Simulated)(nil)
	_ Provider = (*Yahoo)(nil)
	_ Provider = (*CoinGecko)(nil)
	_ Provider = (*Live)(nil)

	_ FXProvider = (*Service)(nil)
	_ FXProvider = (*Simulated)(nil)
	_ FXProvider = (*Yahoo)(nil)
)
