package market

import (
	"context"
	"fmt"
)

// fxKey is the cache and coalescing key of the one set of exchange rates.
const fxKey = "fx\x00"

// FXRates returns the mid-market exchange rates, with the quotes' rules:
// fresh for QuoteTTL (30 s), fetched by one coalesced upstream call for
// any number of concurrent askers, guarded by the provider's timeout and
// circuit breaker; when upstream fails, the last good set fetched at most
// StaleFor (15 min) ago is returned with Stale set, otherwise an
// *UnavailableError ("market_data_unavailable").
func (s *Service) FXRates(ctx context.Context) (FXRates, error) {
	e, err := s.fxEntry(ctx)
	if err != nil {
		return FXRates{}, s.fail("fx_rates", err)
	}
	return e.v, nil
}

// FreshFXRates is the set to price a quote or convert an order at. It is
// FXRates, except that a set fetched from upstream more than
// FreshQuoteMaxAge (1 min) ago is refused with an *UnavailableError rather
// than served stale; within that minute it may have Stale set.
func (s *Service) FreshFXRates(ctx context.Context) (FXRates, error) {
	e, err := s.fxEntry(ctx)
	if err != nil {
		return FXRates{}, s.fail("fresh_fx_rates", err)
	}
	if age := s.o.Now().Sub(e.at); age > s.o.FreshQuoteMaxAge {
		return FXRates{}, s.fail("fresh_fx_rates", &UnavailableError{Symbol: "exchange rates", Err: fmt.Errorf("market: newest exchange rates are %s old", age)})
	}
	return e.v, nil
}

func (s *Service) fxEntry(ctx context.Context) (entry[FXRates], error) {
	if e, ok := s.fx.get(fxKey); ok && s.o.Now().Sub(e.at) < s.o.QuoteTTL {
		s.m.cache.WithLabelValues("fx", "hit").Inc()
		return e, nil
	}
	s.m.cache.WithLabelValues("fx", "miss").Inc()
	v, err := s.coalesce(ctx, fxKey, func(ctx context.Context) (any, error) {
		if e, ok := s.fx.get(fxKey); ok && s.o.Now().Sub(e.at) < s.o.QuoteTTL {
			return e, nil // filled by a flight that just ended
		}
		r, err := s.fxUp.FXRates(ctx)
		if err != nil {
			return nil, err
		}
		// A custom provider's set is checked like the built-in ones'.
		if r, err = NewFXRates(r.usd, r.AsOf, r.Source); err != nil {
			return nil, err
		}
		e := entry[FXRates]{v: r, at: s.o.Now()}
		s.fx.put(fxKey, e.v, e.at)
		return e, nil
	})
	if err == nil {
		return v.(entry[FXRates]), nil
	}
	if ctx.Err() != nil {
		return entry[FXRates]{}, err
	}
	if e, ok := s.fx.get(fxKey); ok && s.o.Now().Sub(e.at) <= s.o.StaleFor {
		e.v.Stale = true
		s.m.cache.WithLabelValues("fx", "stale").Inc()
		return e, nil
	}
	return entry[FXRates]{}, &UnavailableError{Symbol: "exchange rates", Err: err}
}
