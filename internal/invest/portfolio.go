package invest

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/bankapp/bankapp/internal/fx"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/market"
)

// Quoter is the market data valuation needs; *market.Service implements it.
type Quoter interface {
	Quotes(ctx context.Context, symbols []string) (map[string]market.Quote, error)
	History(ctx context.Context, symbol string, r market.Range) ([]market.Point, error)
}

// Portfolio is the value of one or more brokerage accounts at current prices.
// Money fields are minor units of Currency; cash and positions held in
// another currency are converted at the current mid-market rate (for
// display only). Prices and average costs stay in the instrument's
// currency.
type Portfolio struct {
	Currency   ledger.Currency
	Cash       int64
	Positions  []Position
	TotalValue int64 // cash + market value of every position
	RealizedPL int64 // over every sell, past positions included
	// DayChange is the change in value of the open positions since each
	// quote's baseline (see Position.DayChange).
	DayChange int64
}

// Position is one symbol of a portfolio.
type Position struct {
	Symbol       string
	Quantity     decimal.Decimal
	AverageCost  decimal.Decimal // cost basis ÷ quantity, major units
	Price        decimal.Decimal
	CostBasis    int64
	MarketValue  int64 // quantity × price, half-even to the minor unit
	UnrealizedPL int64 // market value − cost basis
	// UnrealizedPLPercent is unrealized P&L ÷ cost basis × 100, 2 decimals.
	UnrealizedPLPercent decimal.Decimal
	// Weight is market value ÷ total value (cash included) × 100, 2 decimals.
	Weight decimal.Decimal
	// DayChange is the position's gain or loss since the quote's baseline
	// (the previous close for stocks, 24 hours ago for crypto: see
	// ChangeBaseline). Units bought since then count from their fill price,
	// not from the previous close, so a position bought minutes ago shows
	// only what it moved since: value now − value at the baseline − cash paid
	// for buys + cash received for sells since the baseline.
	DayChange int64
}

// PortfolioAccounts picks the accounts a portfolio covers from a user's
// accounts: every brokerage account, whatever its currency.
func PortfolioAccounts(all []ledger.Account) []ledger.Account {
	var brk []ledger.Account
	for _, a := range all {
		if a.Type == ledger.TypeBrokerage {
			brk = append(brk, a)
		}
	}
	return brk
}

// Converter values an amount in another currency at the mid-market rate,
// rounded half-even (fx.ConvertAtMid): for display, never for money that
// moves.
type Converter func(ctx context.Context, a ledger.Amount, to ledger.Currency) (int64, error)

// in values a in currency to; without a Converter only amounts already in
// to (or of no currency) can be valued.
func (c Converter) in(ctx context.Context, a ledger.Amount, to ledger.Currency) (int64, error) {
	if a.Currency == to || a.Currency == "" || a.Minor == 0 {
		return a.Minor, nil
	}
	if c == nil {
		return 0, fmt.Errorf("invest: no exchange rates to value %s in %s", a.Currency, to)
	}
	return c(ctx, a, to)
}

// RatesConverter converts at the mid-market rates of one set of rates.
func RatesConverter(rates market.FXRates) Converter {
	return func(_ context.Context, a ledger.Amount, to ledger.Currency) (int64, error) {
		mid, err := rates.Rate(a.Currency, to)
		if err != nil {
			return 0, err
		}
		v, err := fx.ConvertAtMid(a, to, mid)
		return v.Minor, err
	}
}

// Value values the holdings of accounts at the current quotes, in currency
// cur: cash, market values, cost bases and P&L in another currency are
// converted with conv (which may be nil when everything is in cur). Without
// the orders, each position's day change is its quantity × the quote's
// change (right only when nothing was traded since the baseline;
// ValueWithOrders is exact).
func Value(ctx context.Context, mkt Quoter, conv Converter, cur ledger.Currency, accounts []ledger.Account, holdings []Holding) (Portfolio, error) {
	return ValueWithOrders(ctx, mkt, conv, cur, accounts, holdings, nil)
}

// ValueWithOrders values the holdings like Value; orders (the accounts'
// orders, any order) make each position's day change count units bought or
// sold since the quote's baseline from their fill.
func ValueWithOrders(ctx context.Context, mkt Quoter, conv Converter, cur ledger.Currency, accounts []ledger.Account, holdings []Holding, orders []Order) (Portfolio, error) {
	p := Portfolio{Currency: cur}
	acctCur := map[string]ledger.Currency{}
	for _, a := range accounts {
		acctCur[a.ID] = a.Currency
		v, err := conv.in(ctx, ledger.Amount{Minor: a.Balance, Currency: a.Currency}, cur)
		if err != nil {
			return p, err
		}
		p.Cash += v
	}
	bySymbol := map[string]*Position{}
	costCur := map[string]ledger.Currency{}
	var symbols []string
	for _, h := range holdings {
		hc := h.Currency
		if hc == "" {
			hc = acctCur[h.AccountID]
		}
		rpl, err := conv.in(ctx, ledger.Amount{Minor: h.RealizedPL, Currency: hc}, cur)
		if err != nil {
			return p, err
		}
		p.RealizedPL += rpl
		if h.Quantity.Sign() <= 0 {
			continue
		}
		pos, ok := bySymbol[h.Symbol]
		if !ok {
			pos = &Position{Symbol: h.Symbol}
			bySymbol[h.Symbol] = pos
			costCur[h.Symbol] = hc
			symbols = append(symbols, h.Symbol)
		}
		pos.Quantity = pos.Quantity.Add(h.Quantity)
		pos.CostBasis += h.CostBasis
	}
	p.TotalValue = p.Cash
	if len(symbols) == 0 {
		p.Positions = []Position{}
		return p, nil
	}
	quotes, err := mkt.Quotes(ctx, symbols)
	if err != nil {
		return p, fmt.Errorf("invest: quotes: %w", err)
	}
	for _, s := range symbols {
		pos, q := bySymbol[s], quotes[s]
		qc, cc := ledger.Currency(q.Currency), costCur[s]
		if qc == "" {
			qc = cc
		}
		pos.Price = q.Price
		pos.AverageCost = Holding{Quantity: pos.Quantity, CostBasis: pos.CostBasis}.AverageCost(cc)
		mv, ok := toMinor(pos.Quantity.Mul(q.Price), qc)
		dc, ok2 := dayChange(pos.Quantity, mv, q, orders, qc)
		if !ok || !ok2 {
			return p, fmt.Errorf("invest: value of %s overflows", s)
		}
		var err error
		if mv, err = conv.in(ctx, ledger.Amount{Minor: mv, Currency: qc}, cur); err != nil {
			return p, err
		}
		if dc, err = conv.in(ctx, ledger.Amount{Minor: dc, Currency: qc}, cur); err != nil {
			return p, err
		}
		if pos.CostBasis, err = conv.in(ctx, ledger.Amount{Minor: pos.CostBasis, Currency: cc}, cur); err != nil {
			return p, err
		}
		pos.DayChange = dc
		pos.MarketValue, pos.UnrealizedPL = mv, mv-pos.CostBasis
		pos.UnrealizedPLPercent = percent(pos.UnrealizedPL, pos.CostBasis)
		p.TotalValue += mv
		p.DayChange += dc
	}
	for _, s := range symbols {
		pos := bySymbol[s]
		pos.Weight = percent(pos.MarketValue, p.TotalValue)
		p.Positions = append(p.Positions, *pos)
	}
	slices.SortFunc(p.Positions, func(a, b Position) int {
		return cmp.Or(cmp.Compare(b.MarketValue, a.MarketValue), cmp.Compare(a.Symbol, b.Symbol))
	})
	return p, nil
}

// percent is part ÷ whole × 100 rounded half-even to 2 decimals (0 when
// whole is 0).
func percent(part, whole int64) decimal.Decimal {
	if whole == 0 {
		return decimal.Zero
	}
	return divBank(decimal.New(part, 2), decimal.New(whole, 0), 2)
}

// ChangeBaseline is the instant a quote's change is measured from: 24 hours
// before it for crypto, which trades around the clock, and the start of its
// UTC day for stocks (the simulated market's previous close; a live
// market's close is the evening before, so a trade in the few hours between
// counts from the close, as here).
func ChangeBaseline(q market.Quote) time.Time {
	if l, ok := market.LookupListing(q.Symbol); ok && l.Type == market.TypeCrypto {
		return q.AsOf.Add(-24 * time.Hour)
	}
	return q.AsOf.UTC().Truncate(24 * time.Hour)
}

// dayChange is value now − value at the baseline − cash paid for buys +
// cash received for sells since the baseline, for the quantity held now.
func dayChange(qty decimal.Decimal, mvNow int64, q market.Quote, orders []Order, c ledger.Currency) (int64, bool) {
	since := ChangeBaseline(q)
	qtyThen := qty
	var flows int64
	for _, o := range orders {
		if o.Symbol != q.Symbol || !o.CreatedAt.After(since) {
			continue
		}
		if o.Side == SideBuy {
			qtyThen = qtyThen.Sub(o.Quantity)
			flows -= o.Total
		} else {
			qtyThen = qtyThen.Add(o.Quantity)
			flows += o.Total
		}
	}
	if qtyThen.Sign() < 0 {
		qtyThen = decimal.Zero
	}
	before, ok := toMinor(qtyThen.Mul(q.Price.Sub(q.Change)), c)
	if !ok {
		return 0, false
	}
	return mvNow - before + flows, true
}
