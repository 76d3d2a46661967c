package fx

import (
	"fmt"

	"github.com/bankapp/bankapp/internal/ledger"
)

// Exchange is what is stored of an executed exchange; Verify recomputes it.
type Exchange struct {
	By   By
	Sell ledger.Amount
	Buy  ledger.Amount
	Rate Rate // the customer's rate that was applied
	// Mid and Fee are optional: when Mid is set, Verify also checks that
	// Rate is not above Mid and that Fee is FeeFor(Sell, Buy, Mid).
	Mid Rate
	Fee ledger.Amount
}

// VerifyError says how a stored exchange differs from its recomputation.
type VerifyError struct {
	Field string        // "buy_amount", "sell_amount", "fee", "rate" or "exchange"
	Got   ledger.Amount // stored (amount fields)
	Want  ledger.Amount // recomputed (amount fields)
	// CustomersFavour is true when the stored value gives the customer more
	// than the rate does: more bought, less sold, or a rate above mid. A
	// wrong fee moves no money and is never flagged so.
	CustomersFavour bool
	Msg             string
}

func (e *VerifyError) Error() string {
	way := "not as the rate gives"
	if e.CustomersFavour {
		way = "in the customer's favour"
	}
	return fmt.Sprintf("fx: exchange %s: %s (%s)", e.Field, e.Msg, way)
}

// Verify recomputes an exchange from its stored amounts, rate and direction
// and returns nil when it was rounded exactly the bank's way:
//
//   - BySell: Buy = ⌊Sell × Rate⌋ in Buy's minor units;
//   - ByBuy:  Sell = ⌈Buy ÷ Rate⌉ in Sell's minor units;
//   - with Mid: Rate ≤ Mid and Fee = FeeFor(Sell, Buy, Mid).
//
// Any difference is a *VerifyError (CustomersFavour says which way it
// goes); malformed records (same currency, non-positive amounts, no rate)
// are plain errors.
func Verify(e Exchange) error {
	if err := checkPair(e.Sell.Currency, e.Buy.Currency); err != nil {
		return fmt.Errorf("fx: exchange %s→%s: %w", e.Sell.Currency, e.Buy.Currency, err)
	}
	if e.Sell.Minor <= 0 || e.Buy.Minor <= 0 || e.Rate.u <= 0 {
		return fmt.Errorf("fx: exchange %s %s → %s %s at %s: amounts and rate must be positive", e.Sell, e.Sell.Currency, e.Buy, e.Buy.Currency, e.Rate)
	}
	switch e.By {
	case BySell:
		want, ok := convert(e.Sell.Minor, e.Sell.Currency, e.Buy.Currency, e.Rate, roundDown)
		if !ok || want != e.Buy.Minor {
			return &VerifyError{Field: "buy_amount", Got: e.Buy, Want: ledger.Amount{Minor: want, Currency: e.Buy.Currency},
				CustomersFavour: ok && e.Buy.Minor > want,
				Msg:             fmt.Sprintf("%s %s × %s is %s %s rounded down, stored %s", e.Sell, e.Sell.Currency, e.Rate, ledger.FormatMinor(want, e.Buy.Currency.Digits()), e.Buy.Currency, e.Buy)}
		}
	case ByBuy:
		want, ok := invert(e.Buy.Minor, e.Sell.Currency, e.Buy.Currency, e.Rate, roundUp)
		if !ok || want != e.Sell.Minor {
			return &VerifyError{Field: "sell_amount", Got: e.Sell, Want: ledger.Amount{Minor: want, Currency: e.Sell.Currency},
				CustomersFavour: !ok || e.Sell.Minor < want,
				Msg:             fmt.Sprintf("%s %s ÷ %s is %s %s rounded up, stored %s", e.Buy, e.Buy.Currency, e.Rate, ledger.FormatMinor(want, e.Sell.Currency.Digits()), e.Sell.Currency, e.Sell)}
		}
	default:
		return fmt.Errorf("fx: exchange: direction %q is neither %q nor %q", truncate(string(e.By), 8), BySell, ByBuy)
	}
	if e.Mid.IsZero() {
		return nil
	}
	if e.Rate.Cmp(e.Mid) > 0 {
		return &VerifyError{Field: "rate", CustomersFavour: true, Msg: fmt.Sprintf("rate %s is above mid-market %s", e.Rate, e.Mid)}
	}
	fee, err := FeeFor(e.Sell, e.Buy, e.Mid)
	if err != nil {
		return err
	}
	if e.Fee != fee {
		return &VerifyError{Field: "fee", Got: e.Fee, Want: fee, Msg: fmt.Sprintf("against mid %s the fee is %s %s, stored %s %s", e.Mid, fee, fee.Currency, e.Fee, e.Fee.Currency)}
	}
	return nil
}
