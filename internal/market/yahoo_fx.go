package market

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/bankapp/bankapp/internal/fx"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/market/yahoo"
	"golang.org/x/sync/errgroup"
)

// FXRates implements FXProvider with one chart request (range=1d,
// interval=1d) per currency ticker (EURUSD=X, GBPUSD=X), in parallel: the
// USD price of the currency is meta.regularMarketPrice, decoded from its
// JSON text (never a float) and rounded half-even to 8 decimals (Yahoo
// prints 4 to 6). AsOf is the older meta.regularMarketTime. An unknown
// ticker, a currency other than USD or a non-positive price is an upstream
// failure (the breaker counts it, stale rates are served).
func (y *Yahoo) FXRates(ctx context.Context) (FXRates, error) {
	pairs := fxPairs()
	prices := make([]fx.Rate, len(pairs))
	times := make([]time.Time, len(pairs))
	g, gctx := errgroup.WithContext(ctx)
	for i, p := range pairs {
		g.Go(func() error {
			ch, err := y.c.Chart(gctx, p.ticker, "1d", "1d")
			if isNotFound(err) {
				// An upstream failure, not "unknown symbol": the customer
				// asked for no symbol.
				return &yahoo.StatusError{Status: http.StatusNotFound, Body: "no chart for " + p.ticker}
			}
			if err != nil {
				return err
			}
			prices[i], err = yahooFXRate(p.ticker, ch)
			times[i] = ch.MarketTime
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return FXRates{}, err
	}
	usd := make(map[ledger.Currency]fx.Rate, len(pairs))
	asOf := times[0]
	for i, p := range pairs {
		usd[p.cur] = prices[i]
		if times[i].Before(asOf) {
			asOf = times[i]
		}
	}
	return NewFXRates(usd, asOf, SourceYahoo)
}

// yahooFXRate checks one FX chart and returns its price as a Rate.
func yahooFXRate(ticker string, ch *yahoo.Chart) (fx.Rate, error) {
	if ch.Symbol != ticker || ch.Currency != "USD" {
		return fx.Rate{}, fmt.Errorf("%w: chart %s: symbol %q in %q, want %s in USD", yahoo.ErrMalformed, ticker, truncate(ch.Symbol, 16), truncate(ch.Currency, 8), ticker)
	}
	if !ch.Price.IsPositive() {
		return fx.Rate{}, fmt.Errorf("%w: chart %s: price %s", yahoo.ErrMalformed, ticker, ch.Price)
	}
	r, err := fx.ParseRate(ch.Price.RoundBank(fx.RateDecimals).String())
	if err != nil {
		return fx.Rate{}, fmt.Errorf("%w: chart %s: %v", yahoo.ErrMalformed, ticker, err)
	}
	return r, nil
}
