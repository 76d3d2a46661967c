package market

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/bankapp/bankapp/internal/fx"
	"github.com/bankapp/bankapp/internal/ledger"
)

// fxPair is one currency BankApp holds besides USD: the Yahoo ticker that
// prices it in USD and the simulated market's centre.
type fxPair struct {
	cur    ledger.Currency
	ticker string
	centre fx.Rate
}

// fxPairs is the one table of exchange-rate sources. To support a currency,
// add it to ledger and a row here.
func fxPairs() []fxPair {
	return []fxPair{
		{ledger.EUR, "EURUSD=X", fx.MustParseRate("1.08")},
		{ledger.GBP, "GBPUSD=X", fx.MustParseRate("1.27")},
	}
}

// FXCurrencies lists the currencies FXRates prices: USD, EUR, GBP.
func FXCurrencies() []ledger.Currency {
	out := []ledger.Currency{ledger.USD}
	for _, p := range fxPairs() {
		out = append(out, p.cur)
	}
	return out
}

// FXProvider is a source of mid-market exchange rates.
type FXProvider interface {
	// FXRates returns the current USD price of every currency of
	// FXCurrencies.
	FXRates(ctx context.Context) (FXRates, error)
}

// FXRates is one consistent set of mid-market exchange rates, fetched
// together: the USD price of one unit of each supported currency. Rate and
// Rates derive every pair from it, so a EUR→GBP rate and the USD rates shown
// beside it come from the same instant. Copies share a read-only map.
type FXRates struct {
	usd map[ledger.Currency]fx.Rate
	// AsOf is when upstream made the oldest of the prices.
	AsOf time.Time
	// Source is "simulated", "yahoo", or a custom provider's name.
	Source string
	// Stale is true when upstream failed and these are the last good rates.
	Stale bool
}

// NewFXRates builds a set from the USD price of one unit of each currency
// of FXCurrencies (USD may be omitted; it is 1). For providers and tests.
func NewFXRates(usd map[ledger.Currency]fx.Rate, asOf time.Time, source string) (FXRates, error) {
	m := map[ledger.Currency]fx.Rate{ledger.USD: fx.One}
	for c, r := range usd {
		switch {
		case !c.Valid():
			return FXRates{}, fmt.Errorf("market: fx rates: unsupported currency %q", truncate(string(c), 8))
		case r.IsZero():
			return FXRates{}, fmt.Errorf("market: fx rates: no price for %s", c)
		case c == ledger.USD && r != fx.One:
			return FXRates{}, fmt.Errorf("market: fx rates: USD priced at %s USD", r)
		}
		m[c] = r
	}
	for _, c := range FXCurrencies() {
		if _, ok := m[c]; !ok {
			return FXRates{}, fmt.Errorf("market: fx rates: no price for %s", c)
		}
	}
	return FXRates{usd: m, AsOf: asOf.UTC(), Source: source}, nil
}

// USDPrice returns the price in USD of one unit of c, as fetched (up to 8
// decimals); ok is false for an unsupported currency.
func (r FXRates) USDPrice(c ledger.Currency) (fx.Rate, bool) {
	p, ok := r.usd[c]
	return p, ok
}

// Rate returns the mid-market rate from → to (units of to per unit of
// from): fx.Cross of their USD prices, half-even to 6 decimals. EUR→GBP is
// EURUSD ÷ GBPUSD, USD→EUR is 1 ÷ EURUSD. The same currency is fx.One. An
// unsupported currency is an *InvalidError.
func (r FXRates) Rate(from, to ledger.Currency) (fx.Rate, error) {
	pf, ok1 := r.usd[from]
	pt, ok2 := r.usd[to]
	if !ok1 || !ok2 {
		return fx.Rate{}, &InvalidError{Field: "currency", Msg: "currency must be one of USD, EUR, GBP"}
	}
	if from == to {
		return fx.One, nil
	}
	return fx.Cross(pf, pt)
}

// BaseRates are the mid-market rates from one currency to every other.
type BaseRates struct {
	Base   ledger.Currency
	Rates  map[ledger.Currency]fx.Rate // 1 Base buys Rates[c] of c; Base itself is absent
	AsOf   time.Time
	Source string
	Stale  bool
}

// Rates returns the mid-market rates from base to every other currency of
// FXCurrencies. An unsupported base is an *InvalidError
// ("invalid_parameter").
func (r FXRates) Rates(base ledger.Currency) (BaseRates, error) {
	if _, ok := r.usd[base]; !ok {
		return BaseRates{}, &InvalidError{Field: "base", Msg: "base must be one of USD, EUR, GBP"}
	}
	out := BaseRates{Base: base, Rates: make(map[ledger.Currency]fx.Rate, len(r.usd)-1), AsOf: r.AsOf, Source: r.Source, Stale: r.Stale}
	for c := range r.usd {
		if c == base {
			continue
		}
		rate, err := r.Rate(base, c)
		if err != nil {
			return BaseRates{}, err
		}
		out.Rates[c] = rate
	}
	return out, nil
}

// MarshalJSON writes the contract's GET /fx/rates body: {base, as_of,
// source, rates: {"EUR": "0.921300", …}} with rates as strings of 6
// decimals and as_of in RFC 3339 UTC.
func (b BaseRates) MarshalJSON() ([]byte, error) {
	rates := make(map[string]string, len(b.Rates))
	for c, r := range b.Rates {
		rates[string(c)] = r.String()
	}
	return json.Marshal(struct {
		Base   string            `json:"base"`
		AsOf   string            `json:"as_of"`
		Source string            `json:"source"`
		Rates  map[string]string `json:"rates"`
	}{string(b.Base), b.AsOf.UTC().Format(time.RFC3339), b.Source, rates})
}
