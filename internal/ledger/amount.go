// Package ledger is BankApp's double-entry book: exact money amounts, ledger
// accounts, transfers made of postings that sum to zero, and the invariants
// that `bankapp ledger verify` checks.
package ledger

import (
	"fmt"
	"strings"
)

// Currency is an ISO 4217 code that BankApp supports.
type Currency string

// The supported currencies. All three have two minor digits.
const (
	USD Currency = "USD"
	EUR Currency = "EUR"
	GBP Currency = "GBP"
)

var currencyDigits = map[Currency]int{USD: 2, EUR: 2, GBP: 2}

// ParseCurrency returns the currency for an ISO code, or an error with code
// "invalid_currency" when BankApp does not support it.
func ParseCurrency(s string) (Currency, error) {
	c := Currency(s)
	if _, ok := currencyDigits[c]; !ok {
		return "", &Error{Code: "validation_failed", Msg: fmt.Sprintf("currency %q is not supported (USD, EUR, GBP)", s), Field: "currency"}
	}
	return c, nil
}

// Digits is the number of minor digits of the currency (2 for USD, EUR, GBP).
func (c Currency) Digits() int {
	if d, ok := currencyDigits[c]; ok {
		return d
	}
	return 2
}

// Valid reports whether BankApp supports the currency.
func (c Currency) Valid() bool { _, ok := currencyDigits[c]; return ok }

// MaxInputMinor is the largest amount a client may send: 1,000,000,000.00.
const MaxInputMinor int64 = 100_000_000_000

// Amount is an exact amount of money: an integer count of minor units
// (cents) of one currency. It is never a float.
type Amount struct {
	Minor    int64
	Currency Currency
}

func (a Amount) String() string { return FormatMinor(a.Minor, a.Currency.Digits()) }

// FormatMinor writes minor units as a decimal string with exactly digits
// fractional digits: FormatMinor(-2005, 2) == "-20.05".
func FormatMinor(minor int64, digits int) string {
	neg := minor < 0
	// Work on the unsigned magnitude so that math.MinInt64 formats too.
	u := uint64(minor) // #nosec G115 -- two's-complement magnitude; negated below for negative values, so MinInt64 formats too
	if neg {
		u = -u
	}
	s := fmt.Sprintf("%0*d", digits+1, u)
	if digits > 0 {
		s = s[:len(s)-digits] + "." + s[len(s)-digits:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// ParseAmount reads a client's decimal string ("12.5", "12.50", "1000") as a
// positive amount of the currency. It refuses signs, exponents, spaces,
// thousands separators, more fractional digits than the currency has, zero,
// and anything above MaxInputMinor, with code "invalid_amount".
func ParseAmount(s string, c Currency) (Amount, error) {
	minor, err := ParseMinor(s, c.Digits())
	if err != nil {
		return Amount{}, err
	}
	if minor <= 0 {
		return Amount{}, invalidAmount("The amount must be more than zero.")
	}
	if minor > MaxInputMinor {
		return Amount{}, invalidAmount("The amount can be at most 1,000,000,000.00.")
	}
	return Amount{Minor: minor, Currency: c}, nil
}

// ParseMinor reads an unsigned or negative decimal string with at most digits
// fractional digits into minor units, refusing overflow.
func ParseMinor(s string, digits int) (int64, error) {
	if s == "" {
		return 0, invalidAmount("Enter an amount.")
	}
	if len(s) > 40 {
		return 0, invalidAmount("That amount is too long.")
	}
	neg := false
	if s[0] == '-' {
		neg = true
		s = s[1:]
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || (hasDot && frac == "") {
		return 0, invalidAmount("Enter the amount as a number, like 12.50.")
	}
	if len(frac) > digits {
		return 0, invalidAmount(fmt.Sprintf("Use at most %d decimal places, like 12.50.", digits))
	}
	var v uint64
	const limit = uint64(1<<63 - 1)
	add := func(ch byte) bool {
		if ch < '0' || ch > '9' {
			return false
		}
		if v > (limit-uint64(ch-'0'))/10 {
			return false
		}
		v = v*10 + uint64(ch-'0')
		return true
	}
	for i := 0; i < len(whole); i++ {
		if !add(whole[i]) {
			return 0, invalidAmount("Enter the amount as a number, like 12.50.")
		}
	}
	for i := 0; i < digits; i++ {
		ch := byte('0')
		if i < len(frac) {
			ch = frac[i]
		}
		if !add(ch) {
			return 0, invalidAmount("Enter the amount as a number, like 12.50.")
		}
	}
	m := int64(v)
	if neg {
		m = -m
	}
	return m, nil
}

func invalidAmount(msg string) error {
	return &Error{Code: "invalid_amount", Msg: msg, Field: "amount"}
}
