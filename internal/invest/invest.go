// Package invest is BankApp's brokerage: market orders by quantity or by
// notional amount, holdings with average cost and realized P&L, portfolio
// valuation at current prices, portfolio value history and the watchlist.
//
// The cash side of every order is a ledger transfer between the brokerage
// account and the bank's settlement account; the position change, the order
// row and the transfer commit in one transaction. See docs/investing.md for
// the rules, the rounding and the lock order.
package invest

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/bankapp/bankapp/internal/fx"
	"github.com/bankapp/bankapp/internal/ledger"
)

// Order sides.
const (
	SideBuy  = "buy"
	SideSell = "sell"
)

// StatusFilled is the only order status: market orders fill at once or fail.
const StatusFilled = "filled"

// Errors of the investing rules. Their text is safe to show to the customer.
var (
	ErrInsufficientHoldings = &ledger.Error{Code: "insufficient_holdings", Msg: "You can't sell more than you hold.", Field: "quantity"}
	ErrAccountFrozen        = &ledger.Error{Code: "account_frozen", Msg: "the account is frozen; contact support"}
	ErrNotBrokerage         = &ledger.Error{Code: "validation_failed", Msg: "Orders can only be placed from a brokerage account.", Field: "account_id"}
	ErrAccountNotFound      = &ledger.Error{Code: "not_found", Msg: "account not found"}
	// ErrCryptoTradingOff answers a crypto order while the crypto_trading
	// feature flag is off (403).
	ErrCryptoTradingOff = &ledger.Error{Code: "feature_disabled",
		Msg: "crypto trading is turned off for now; crypto holdings stay in your portfolio, valued as usual"}
)

// Order is a filled market order.
type Order struct {
	Seq       int64 // position in the order log, for paging
	ID        string
	OwnerID   string
	AccountID string
	Symbol    string
	Side      string
	Quantity  decimal.Decimal // exact, 8 fractional digits
	Price     decimal.Decimal // the quote it filled at
	// Total is the order's value, quantity × price rounded the bank's way,
	// in Currency: the instrument's currency (USD), which is also the
	// account's unless the order converted (FX).
	Total int64
	// Rounding is the rule Total was rounded with (RoundBank, or
	// RoundHalfEven for orders older than migration 8).
	Rounding string
	Currency ledger.Currency
	// RealizedPL is, for a sell, the proceeds minus the cost basis sold (minor
	// units); zero for a buy.
	RealizedPL int64
	TransferID string
	CreatedAt  time.Time
	// FX is the conversion of an order on a EUR or GBP brokerage account
	// trading a USD instrument: a buy sells the account's currency for
	// Total (FX.Buy = Total), a sell sells Total for the account's currency
	// (FX.Sell = Total); the account moved FX.Sell or FX.Buy. Nil when the
	// account is in the instrument's currency.
	FX *fx.Exchange `json:",omitempty"`
}

// AccountAmount is what the order moved on its account, in the account's
// currency: Total, or the converted amount when the order converted.
func (o Order) AccountAmount() ledger.Amount {
	switch {
	case o.FX == nil:
		return ledger.Amount{Minor: o.Total, Currency: o.Currency}
	case o.Side == SideBuy:
		return o.FX.Sell
	}
	return o.FX.Buy
}

// Holding is a position in one symbol on one brokerage account. A holding
// sold down to zero is kept for its realized P&L.
type Holding struct {
	AccountID string
	Symbol    string
	Quantity  decimal.Decimal
	// Currency is the currency of CostBasis and RealizedPL: the one the
	// instrument trades and settles in (USD), whatever the account's.
	Currency ledger.Currency
	// CostBasis is what the current quantity cost, in minor units: buys add
	// their total, sells remove the average cost of what they sell.
	CostBasis int64
	// RealizedPL accumulates, over every sell, proceeds minus the cost basis
	// removed (minor units).
	RealizedPL int64
	UpdatedAt  time.Time
}

// AverageCost is the cost basis per unit held, in major units (e.g. dollars),
// exact to 8 decimals; zero when nothing is held.
func (h Holding) AverageCost(c ledger.Currency) decimal.Decimal {
	if h.Quantity.Sign() <= 0 {
		return decimal.Zero
	}
	return divBank(decimal.New(h.CostBasis, -minorDigits(c)), h.Quantity, 8)
}

// WatchItem is a symbol on a user's watchlist.
type WatchItem struct {
	Symbol  string
	AddedAt time.Time
}
