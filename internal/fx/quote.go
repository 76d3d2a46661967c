package fx

import (
	"fmt"

	"github.com/bankapp/bankapp/internal/ledger"
)

// By names the amount the customer fixed; the other one is computed.
type By string

// The two ways to quote.
const (
	BySell By = "sell" // the customer typed sell_amount; buy_amount is rounded down
	ByBuy  By = "buy"  // the customer typed buy_amount; sell_amount is rounded up
)

// Valid reports whether b is BySell or ByBuy.
func (b By) Valid() bool { return b == BySell || b == ByBuy }

// Refusals, as domain errors with the contract's codes (their text is safe
// to show). Compare with ==; errors.Is matches any ledger error of the same
// code.
var (
	// ErrTooSmall: the sell amount buys nothing (0.01 EUR at 0.85 is
	// 0.0085 GBP, which rounds down to 0.00).
	ErrTooSmall = &ledger.Error{Code: "invalid_amount", Field: "sell_amount",
		Msg: "the amount is too small to exchange: it buys less than the smallest unit of the other currency"}
	// ErrSameCurrency: there is nothing to exchange.
	ErrSameCurrency = &ledger.Error{Code: "same_currency",
		Msg: "both accounts hold the same currency: there is nothing to exchange"}
	// ErrTooLarge: the other amount would not fit the ledger's int64.
	ErrTooLarge = &ledger.Error{Code: "invalid_amount",
		Msg: "the amount is too large to exchange"}
)

// Quote is a priced exchange: the customer's sell account is debited
// exactly Sell and the buy account credited exactly Buy.
type Quote struct {
	By   By
	Sell ledger.Amount
	Buy  ledger.Amount
	// Mid is the mid-market rate Sell.Currency → Buy.Currency the quote
	// started from; Rate is the customer's rate (CustomerRate), the one
	// shown, stored and applied.
	Mid  Rate
	Rate Rate
	// Fee is what the spread and the rounding cost the customer against
	// Mid, in the sell currency (FeeCurrency); see FeeFor.
	Fee ledger.Amount
}

// FeeCurrency is the currency of Fee: the sell currency.
func (q Quote) FeeCurrency() ledger.Currency { return q.Sell.Currency }

// QuoteSell prices selling sell for currency buy: the customer rate is
// CustomerRate(mid, s) and buy = sell × rate rounded DOWN to buy's minor
// unit. mid is the mid-market rate sell.Currency → buy. A result of zero is
// ErrTooSmall.
func QuoteSell(sell ledger.Amount, buy ledger.Currency, mid Rate, s Spread) (Quote, error) {
	if err := checkPair(sell.Currency, buy); err != nil {
		return Quote{}, err
	}
	if sell.Minor <= 0 {
		return Quote{}, &ledger.Error{Code: "invalid_amount", Field: "sell_amount", Msg: "sell_amount must be greater than zero"}
	}
	rate, err := CustomerRate(mid, s)
	if err != nil {
		return Quote{}, err
	}
	got, ok := convert(sell.Minor, sell.Currency, buy, rate, roundDown)
	if !ok {
		return Quote{}, ErrTooLarge
	}
	if got == 0 {
		return Quote{}, ErrTooSmall
	}
	q := Quote{By: BySell, Sell: sell, Buy: ledger.Amount{Minor: got, Currency: buy}, Mid: mid, Rate: rate}
	if q.Fee, err = FeeFor(q.Sell, q.Buy, mid); err != nil {
		return Quote{}, err
	}
	return q, nil
}

// QuoteBuy prices buying buy with currency sell: the customer rate is
// CustomerRate(mid, s) and sell = buy ÷ rate rounded UP to sell's minor
// unit — the smallest sell amount that buys at least buy at the rate. mid is
// the mid-market rate sell → buy.Currency.
func QuoteBuy(sell ledger.Currency, buy ledger.Amount, mid Rate, s Spread) (Quote, error) {
	if err := checkPair(sell, buy.Currency); err != nil {
		return Quote{}, err
	}
	if buy.Minor <= 0 {
		return Quote{}, &ledger.Error{Code: "invalid_amount", Field: "buy_amount", Msg: "buy_amount must be greater than zero"}
	}
	rate, err := CustomerRate(mid, s)
	if err != nil {
		return Quote{}, err
	}
	pay, ok := invert(buy.Minor, sell, buy.Currency, rate, roundUp)
	if !ok {
		return Quote{}, ErrTooLarge
	}
	q := Quote{By: ByBuy, Sell: ledger.Amount{Minor: pay, Currency: sell}, Buy: buy, Mid: mid, Rate: rate}
	if q.Fee, err = FeeFor(q.Sell, q.Buy, mid); err != nil {
		return Quote{}, err
	}
	return q, nil
}

// MaxSellFor is the largest amount of currency sell whose exact value at
// the customer rate CustomerRate(mid, s) is at most buy: ⌊buy ÷ rate⌋ in
// sell's minor units, so QuoteSell of it never buys more than buy. A
// brokerage sell by notional on a EUR account uses it to find how many
// dollars of stock to sell for at most the euros asked. mid is the
// mid-market rate sell → buy.Currency.
func MaxSellFor(sell ledger.Currency, buy ledger.Amount, mid Rate, s Spread) (ledger.Amount, error) {
	if err := checkPair(sell, buy.Currency); err != nil {
		return ledger.Amount{}, err
	}
	if buy.Minor <= 0 {
		return ledger.Amount{}, &ledger.Error{Code: "invalid_amount", Field: "buy_amount", Msg: "buy_amount must be greater than zero"}
	}
	rate, err := CustomerRate(mid, s)
	if err != nil {
		return ledger.Amount{}, err
	}
	v, ok := invert(buy.Minor, sell, buy.Currency, rate, roundDown)
	if !ok {
		return ledger.Amount{}, ErrTooLarge
	}
	return ledger.Amount{Minor: v, Currency: sell}, nil
}

// FeeFor discloses what an exchange of sell for buy costs the customer
// against the mid-market rate mid (sell → buy), in the sell currency:
//
//	fee = sell − ⌈buy ÷ mid⌉
//
// ⌈buy ÷ mid⌉ is the least the customer would have sold at mid to receive
// buy, so fee is the part of sell that paid for the spread and the
// rounding, rounded DOWN: fee converted at mid plus buy never exceeds what
// sell buys at mid. It fails if buy is worth more than sell at mid (a rate
// above mid).
func FeeFor(sell, buy ledger.Amount, mid Rate) (ledger.Amount, error) {
	if mid.u <= 0 {
		return ledger.Amount{}, fmt.Errorf("fx: fee: no mid-market rate")
	}
	atMid, ok := invert(buy.Minor, sell.Currency, buy.Currency, mid, roundUp)
	if !ok {
		return ledger.Amount{}, ErrTooLarge
	}
	if atMid > sell.Minor {
		return ledger.Amount{}, fmt.Errorf("fx: fee: %s %s for %s %s is better than mid-market %s", sell, sell.Currency, buy, buy.Currency, mid)
	}
	return ledger.Amount{Minor: sell.Minor - atMid, Currency: sell.Currency}, nil
}

// ConvertAtMid values a (which may be negative) in currency to at the
// mid-market rate mid (a.Currency → to), rounded half-even to to's minor
// unit. It is for display and valuation (net worth, overview), never for
// moving money.
func ConvertAtMid(a ledger.Amount, to ledger.Currency, mid Rate) (ledger.Amount, error) {
	if a.Currency == to {
		return a, nil
	}
	if mid.u <= 0 {
		return ledger.Amount{}, fmt.Errorf("fx: convert %s: no mid-market rate", a.Currency)
	}
	v, ok := convert(a.Minor, a.Currency, to, mid, roundHalfEven)
	if !ok {
		return ledger.Amount{}, ErrTooLarge
	}
	return ledger.Amount{Minor: v, Currency: to}, nil
}

func checkPair(sell, buy ledger.Currency) error {
	for _, c := range []ledger.Currency{sell, buy} {
		if !c.Valid() {
			return &ledger.Error{Code: "validation_failed", Field: "currency", Msg: fmt.Sprintf("currency %q is not supported (USD, EUR, GBP)", truncate(string(c), 8))}
		}
	}
	if sell == buy {
		return ErrSameCurrency
	}
	return nil
}
