package invest

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/bankapp/bankapp/internal/ledger"
)

// QuantityDigits is the number of fractional digits a quantity may have.
const QuantityDigits = 8

// MaxQuantity bounds the quantity of one order (a billion billion units is
// far beyond any real order and keeps stored strings short).
var maxQuantity = decimal.New(1, 18)

func invalidQuantity(msg string) error {
	return &ledger.Error{Code: "invalid_quantity", Msg: msg, Field: "quantity"}
}

// ParseQuantity reads a client's quantity: a plain decimal string ("3",
// "0.5", "1.25000000") with at most 8 fractional digits, greater than zero.
// Signs, exponents, spaces, separators, more digits, zero and non-numbers
// are refused with code "invalid_quantity".
func ParseQuantity(s string) (decimal.Decimal, error) {
	if s == "" {
		return decimal.Zero, invalidQuantity("Enter a quantity.")
	}
	if len(s) > 40 {
		return decimal.Zero, invalidQuantity("That quantity is too long.")
	}
	dot, frac := -1, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.' && dot < 0:
			dot = i
		case c >= '0' && c <= '9':
			if dot >= 0 {
				frac++
			}
		default:
			return decimal.Zero, invalidQuantity("Enter the quantity as a number, like 1.5.")
		}
	}
	if dot == 0 || dot == len(s)-1 {
		return decimal.Zero, invalidQuantity("Enter the quantity as a number, like 1.5.")
	}
	if frac > QuantityDigits {
		return decimal.Zero, invalidQuantity(fmt.Sprintf("Use at most %d decimal places for a quantity.", QuantityDigits))
	}
	q, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Zero, invalidQuantity("Enter the quantity as a number, like 1.5.")
	}
	if q.Sign() <= 0 {
		return decimal.Zero, invalidQuantity("The quantity must be more than zero.")
	}
	if q.GreaterThan(maxQuantity) {
		return decimal.Zero, invalidQuantity("That quantity is too large.")
	}
	return q, nil
}

// FormatQuantity writes a quantity with exactly 8 fractional digits.
func FormatQuantity(q decimal.Decimal) string { return q.StringFixed(QuantityDigits) }

// Rounding rules a fill's cash total was computed with. Every order since
// migration 8 is RoundBank; orders filled before it keep RoundHalfEven so
// that `ledger verify` can recompute them exactly as they were made.
const (
	RoundBank     = "bank"      // buys rounded up, sells down: never in the customer's favour
	RoundHalfEven = "half_even" // the rule before migration 8
)

// Fill prices a market order at price. Exactly one of qty (> 0) and
// notional (minor units, > 0) is given. A notional order buys or sells
// notional ÷ price units, truncated (rounded down) to 8 decimals. The cash
// total is quantity × price rounded to the currency's minor unit in the
// bank's favour (FillTotal): a buy is charged at least its exact value, a
// sell credited at most its exact value. The total must be at least one
// minor unit and at most ledger.MaxInputMinor. The minimum order value is
// the caller's rule (PlaceOrder), since a sell that closes a position may go
// below it.
func Fill(side string, qty decimal.Decimal, notional int64, price decimal.Decimal, c ledger.Currency) (decimal.Decimal, int64, error) {
	if price.Sign() <= 0 {
		return decimal.Zero, 0, fmt.Errorf("invest: quote price %s is not positive", price)
	}
	if notional > 0 {
		n := decimal.New(notional, -minorDigits(c))
		qty, _ = n.QuoRem(price, QuantityDigits)
		if qty.Sign() <= 0 {
			return decimal.Zero, 0, &ledger.Error{Code: "invalid_quantity", Field: "notional",
				Msg: "That amount buys less than 0.00000001 of a unit at the current price. Enter a larger amount."}
		}
	}
	total, ok := FillTotal(side, RoundBank, qty, price, c)
	switch {
	case !ok || total > ledger.MaxInputMinor:
		return decimal.Zero, 0, invalidQuantity("An order can be worth at most " + ledger.FormatMinor(ledger.MaxInputMinor, c.Digits()) + " " + string(c) + ".")
	case total <= 0:
		return decimal.Zero, 0, invalidQuantity("The order is worth less than " + ledger.FormatMinor(1, c.Digits()) + " " + string(c) + ". Enter a larger quantity.")
	}
	return qty, total, nil
}

// FillTotal is the cash total of qty at price under a rounding rule: for
// RoundBank, a buy rounds up and a sell rounds down to the minor unit; for
// RoundHalfEven, both round half-even. ok is false when the total does not
// fit an int64. `ledger verify` recomputes every stored order with it.
func FillTotal(side, rule string, qty, price decimal.Decimal, c ledger.Currency) (int64, bool) {
	v := qty.Mul(price).Shift(minorDigits(c))
	switch {
	case rule == RoundHalfEven:
		v = v.RoundBank(0)
	case side == SideBuy:
		v = v.Ceil()
	default:
		v = v.Floor()
	}
	b := v.BigInt()
	if !b.IsInt64() {
		return 0, false
	}
	return b.Int64(), true
}

// toMinor rounds a major-unit value half-even to minor units, for
// valuations (market value, day change), never for cash that moves; ok is
// false when it does not fit an int64.
func toMinor(v decimal.Decimal, c ledger.Currency) (int64, bool) {
	b := v.Shift(minorDigits(c)).RoundBank(0).BigInt()
	if !b.IsInt64() {
		return 0, false
	}
	return b.Int64(), true
}

// mulDivRound returns a × num ÷ den rounded half-even, exactly, for
// prorating a cost basis. den must not be zero.
func mulDivRound(a int64, num, den decimal.Decimal) int64 {
	return divBank(decimal.New(a, 0).Mul(num), den, 0).IntPart()
}

// divBank returns n ÷ d rounded half-even to places decimals, exactly (no
// intermediate rounding). d must not be zero.
func divBank(n, d decimal.Decimal, places int32) decimal.Decimal {
	neg := n.Sign()*d.Sign() < 0
	n, d = n.Abs(), d.Abs()
	q, r := n.QuoRem(d, places)
	// r < d × 10^-places; compare 2r with that unit to decide the rounding.
	unit := d.Shift(-places)
	switch c := r.Add(r).Cmp(unit); {
	case c > 0, c == 0 && q.Shift(places).BigInt().Bit(0) == 1:
		q = q.Add(decimal.New(1, -places))
	}
	if neg {
		q = q.Neg()
	}
	return q
}

// minorDigits is the currency's number of minor digits as a decimal
// exponent (BankApp's currencies all have 2).
func minorDigits(c ledger.Currency) int32 {
	d := c.Digits()
	if d < 0 || d > 4 {
		d = 2
	}
	return int32(d) // #nosec G115 -- bounded to 0..4 above
}
