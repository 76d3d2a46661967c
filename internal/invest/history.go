package invest

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/market"
)

// ValuePoint is the value of a portfolio (cash + holdings) at T, in minor
// units.
type ValuePoint struct {
	T     time.Time
	Value int64
}

// CashChange is a brokerage account's cash balance from At on (the store's
// BalanceHistory rows).
type CashChange struct {
	AccountID string
	At        time.Time
	Balance   int64
}

// HistoryInput is what portfolio history is computed from: the accounts'
// orders (all of them, oldest first) and their cash balances (the balance
// at the start of the range, then every change).
type HistoryInput struct {
	Currency ledger.Currency
	Orders   []Order
	Cash     []CashChange
	Range    market.Range
	Now      time.Time
	// AccountCurrency is each account's currency; cash and positions in
	// another currency than Currency are valued with Convert (at today's
	// mid-market rate: BankApp keeps no history of exchange rates).
	AccountCurrency map[string]ledger.Currency
	Convert         Converter
}

// History values the portfolio at every multiple of the range's interval
// within the range, plus now. At each instant the quantity held is the sum
// of the orders filled by then and each symbol is priced at its history
// point in effect then (market.PointAt), so the last point equals the
// current total value when history and quotes agree (the simulated market).
func History(ctx context.Context, mkt Quoter, in HistoryInput) ([]ValuePoint, error) {
	step := in.Range.Interval()
	from := in.Now.Add(-in.Range.Span())
	// The line starts where the portfolio does: at its first cash or order
	// when that is inside the range (a chart of zeros before the first
	// deposit says nothing), with a point at that moment.
	start := from
	if first, ok := firstActivity(in); ok && first.After(from) {
		start = first
	}
	var times []time.Time
	if start.After(from) && start.Before(in.Now) {
		times = append(times, start)
	}
	for t := from.Truncate(step).Add(step); t.Before(in.Now); t = t.Add(step) {
		if t.After(start) {
			times = append(times, t)
		}
	}
	times = append(times, in.Now)

	prices := map[string][]market.Point{}
	symCur := map[string]ledger.Currency{}
	for _, o := range in.Orders {
		if _, ok := prices[o.Symbol]; ok {
			continue
		}
		symCur[o.Symbol] = o.Currency
		pts, err := mkt.History(ctx, o.Symbol, in.Range)
		if err != nil {
			return nil, fmt.Errorf("invest: history of %s: %w", o.Symbol, err)
		}
		prices[o.Symbol] = pts
	}

	out := make([]ValuePoint, 0, len(times))
	qty := map[string]decimal.Decimal{}
	cash := map[string]int64{}
	oi, ci := 0, 0
	for _, t := range times {
		for ; oi < len(in.Orders) && !in.Orders[oi].CreatedAt.After(t); oi++ {
			o := in.Orders[oi]
			if o.Side == SideBuy {
				qty[o.Symbol] = qty[o.Symbol].Add(o.Quantity)
			} else {
				qty[o.Symbol] = qty[o.Symbol].Sub(o.Quantity)
			}
		}
		for ; ci < len(in.Cash) && !in.Cash[ci].At.After(t); ci++ {
			cash[in.Cash[ci].AccountID] = in.Cash[ci].Balance
		}
		var v int64
		for id, b := range cash {
			c, err := in.Convert.in(ctx, ledger.Amount{Minor: b, Currency: in.AccountCurrency[id]}, in.Currency)
			if err != nil {
				return nil, err
			}
			v += c
		}
		for sym, q := range qty {
			if q.Sign() == 0 {
				continue
			}
			pts := prices[sym]
			price, ok := market.PointAt(pts, t)
			if !ok && len(pts) > 0 {
				price = pts[0].Price // bought before the range's first point
			}
			sc := symCur[sym]
			if sc == "" {
				sc = in.Currency
			}
			mv, ok := toMinor(q.Mul(price), sc)
			if !ok {
				return nil, fmt.Errorf("invest: value of %s overflows", sym)
			}
			mv, err := in.Convert.in(ctx, ledger.Amount{Minor: mv, Currency: sc}, in.Currency)
			if err != nil {
				return nil, err
			}
			v += mv
		}
		out = append(out, ValuePoint{T: t, Value: v})
	}
	return out, nil
}

// firstActivity is the time of the portfolio's first cash change or order.
func firstActivity(in HistoryInput) (time.Time, bool) {
	var first time.Time
	for _, c := range in.Cash {
		if first.IsZero() || c.At.Before(first) {
			first = c.At
		}
	}
	for _, o := range in.Orders {
		if first.IsZero() || o.CreatedAt.Before(first) {
			first = o.CreatedAt
		}
	}
	return first, !first.IsZero()
}

// SortCash orders cash changes by time (stable, so the store's posting
// order breaks ties).
func SortCash(c []CashChange) {
	slices.SortStableFunc(c, func(a, b CashChange) int { return a.At.Compare(b.At) })
}
