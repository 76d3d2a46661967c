package market

import (
	"context"
	"time"

	"github.com/bankapp/bankapp/internal/fx"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/market/simulated"
)

// FXRatesAt returns the simulated exchange rates at t: each currency's USD
// price is its centre (EURUSD 1.08, GBPUSD 1.27) × the walk's FX factor for
// its ticker and the UTC minute, in integer arithmetic, so every process
// with the same seed gets the same rates for the same minute. AsOf is that
// minute.
func (s *Simulated) FXRatesAt(t time.Time) FXRates {
	at := simulated.Minute(t)
	usd := make(map[ledger.Currency]fx.Rate, len(fxPairs()))
	for _, p := range fxPairs() {
		// centre ≤ 10^10 units and the factor ≤ 1.08 × 10^6: no overflow;
		// the division is exact for centres with at most 2 decimals.
		u := p.centre.Units() * s.walk.FXFactorPPM(p.ticker, at) / 1_000_000
		r, err := fx.RateFromUnits(u)
		if err != nil {
			panic(err) // the walk stays within ±8 % of a positive centre
		}
		usd[p.cur] = r
	}
	r, err := NewFXRates(usd, at, SourceSimulated)
	if err != nil {
		panic(err) // every currency of fxPairs is priced above
	}
	return r
}

// FXRates implements FXProvider with FXRatesAt(now).
func (s *Simulated) FXRates(ctx context.Context) (FXRates, error) {
	return s.FXRatesAt(s.now()), nil
}
