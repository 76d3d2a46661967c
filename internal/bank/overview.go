package bank

import (
	"context"
	"time"

	"github.com/bankapp/bankapp/internal/fx"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/market"
)

// Overview is everything a customer holds, valued in their base currency
// at current mid-market rates: the cash of every open account and the
// market value of their brokerage holdings. Money fields are minor units of
// Base, except each account's own balance.
type Overview struct {
	Base        ledger.Currency
	Cash        int64 // Σ the accounts' ValueInBase
	Investments int64 // Σ the holdings' market value in Base
	NetWorth    int64 // Cash + Investments
	Accounts    []OverviewAccount
	RatesAsOf   time.Time
	RatesStale  bool
}

// OverviewAccount is one open account: its balance in its own currency and
// that balance in the base currency.
type OverviewAccount struct {
	ledger.Account
	ValueInBase int64
}

var errOverflow = &ledger.Error{Code: "limit_exceeded", Msg: "the total is too large to show"}

// Overview values the user's open accounts and brokerage holdings in the
// user's base currency at the current mid-market rates (fx.ConvertAtMid:
// half-even to the minor unit, for display only). Cash is the sum of the
// rounded per-account values, so the list adds up to it.
func (s *Service) Overview(ctx context.Context, userID string) (Overview, error) {
	u, err := s.store.UserByID(ctx, userID)
	if err != nil {
		return Overview{}, err
	}
	base := u.BaseCurrency
	if !base.Valid() {
		base = ledger.USD
	}
	accts, err := s.store.AccountsByOwner(ctx, userID)
	if err != nil {
		return Overview{}, err
	}
	if s.fx == nil {
		return Overview{}, errFXOff
	}
	rates, err := s.fx.FXRates(ctx)
	if err != nil {
		return Overview{}, err
	}
	ov := Overview{Base: base, Accounts: []OverviewAccount{}, RatesAsOf: rates.AsOf, RatesStale: rates.Stale}
	for _, a := range accts {
		if a.Status == ledger.StatusClosed {
			continue
		}
		v, err := ValueIn(rates, ledger.Amount{Minor: a.Balance, Currency: a.Currency}, base)
		if err != nil {
			return Overview{}, err
		}
		var ok bool
		if ov.Cash, ok = addMinor(ov.Cash, v); !ok {
			return Overview{}, errOverflow
		}
		ov.Accounts = append(ov.Accounts, OverviewAccount{Account: a, ValueInBase: v})
	}
	if s.investments != nil {
		if ov.Investments, err = s.investments.InvestmentsValue(ctx, userID, base, rates); err != nil {
			return Overview{}, err
		}
	}
	var ok bool
	if ov.NetWorth, ok = addMinor(ov.Cash, ov.Investments); !ok {
		return Overview{}, errOverflow
	}
	return ov, nil
}

// addMinor returns a+b and whether it did not overflow.
func addMinor(a, b int64) (int64, bool) {
	c := a + b
	return c, (c > a) == (b > 0) || b == 0
}

// ValueIn values a in currency to at the rates' mid-market rate, rounded
// half-even (fx.ConvertAtMid); for display and valuation only.
func ValueIn(rates market.FXRates, a ledger.Amount, to ledger.Currency) (int64, error) {
	if a.Currency == to {
		return a.Minor, nil
	}
	mid, err := rates.Rate(a.Currency, to)
	if err != nil {
		return 0, err
	}
	v, err := fx.ConvertAtMid(a, to, mid)
	return v.Minor, err
}

// FXRates are the mid-market rates from base (GET /fx/rates); an unknown
// base is invalid_parameter.
func (s *Service) FXRates(ctx context.Context, base string) (market.BaseRates, error) {
	c := ledger.Currency(base)
	if !c.Valid() {
		return market.BaseRates{}, invalidParameter("base", "must be one of USD, EUR, GBP")
	}
	if s.fx == nil {
		return market.BaseRates{}, errFXOff
	}
	rates, err := s.fx.FXRates(ctx)
	if err != nil {
		return market.BaseRates{}, err
	}
	return rates.Rates(c)
}
