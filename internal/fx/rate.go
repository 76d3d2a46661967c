// Package fx prices currency exchanges. Everything here is pure integer
// arithmetic on exact values: rates are fixed-point (Rate), amounts are
// ledger.Amount minor units, and every rounding is named and goes the bank's
// way. The exchange use case, orders that convert, and `ledger verify` use
// it; market data (internal/market) supplies the mid-market rates.
//
// See docs/fx.md for the rules with worked examples.
package fx

import (
	"fmt"
	"math/big"
	"strings"
)

// RateDecimals is the precision of a Rate: 8 decimal places.
const RateDecimals = 8

// QuotedDecimals is the precision of the rates BankApp publishes and charges:
// mid-market rates (Cross) and customer rates (CustomerRate) have 6 decimals,
// the "0.921300" of the API.
const QuotedDecimals = 6

const (
	rateScale  int64 = 100_000_000           // 10^RateDecimals
	quotedUnit int64 = 100                   // one unit of the 6th decimal, in rate units
	maxUnits   int64 = 1_000_000 * rateScale // MaxRate
	maxRateLen       = 40                    // longest text ParseRate reads
)

// Rate is a positive exchange rate, exact to 8 decimal places: how many
// units of one currency one unit of another buys. It is a fixed-point
// integer (the rate × 10^8), never a float. The zero Rate means "no rate"
// and is refused by every function that prices.
type Rate struct {
	u int64
}

// One is the rate 1.
var One = Rate{rateScale}

// MaxRate is the largest rate accepted: 1,000,000.
var MaxRate = Rate{maxUnits}

// RateFromUnits returns the rate units × 10^-8. It refuses zero, negative
// and values above MaxRate.
func RateFromUnits(units int64) (Rate, error) {
	if units <= 0 || units > maxUnits {
		return Rate{}, fmt.Errorf("fx: rate units %d outside (0, %d]", units, maxUnits)
	}
	return Rate{units}, nil
}

// ParseRate reads a rate from its decimal text ("1.0842", "0.921300",
// "157.5"): digits, an optional point and at most 8 fractional digits; no
// sign, exponent or spaces. The value must be positive and at most MaxRate.
// It is exact: the text is never passed through a float.
func ParseRate(s string) (Rate, error) {
	bad := func(why string) (Rate, error) {
		return Rate{}, fmt.Errorf("fx: rate %q: %s", truncate(s, 24), why)
	}
	if s == "" || len(s) > maxRateLen {
		return bad("must be a decimal number such as 1.0842")
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || (hasDot && frac == "") {
		return bad("must be a decimal number such as 1.0842")
	}
	if len(frac) > RateDecimals {
		return bad(fmt.Sprintf("more than %d decimal places", RateDecimals))
	}
	var u int64
	for _, part := range []string{whole, frac + strings.Repeat("0", RateDecimals-len(frac))} {
		for i := 0; i < len(part); i++ {
			c := part[i]
			if c < '0' || c > '9' {
				return bad("must be a decimal number such as 1.0842")
			}
			if u > (maxUnits-int64(c-'0'))/10 {
				return bad("above the largest rate, 1000000")
			}
			u = u*10 + int64(c-'0')
		}
	}
	if u == 0 {
		return bad("must be greater than zero")
	}
	return Rate{u}, nil
}

// MustParseRate is ParseRate for constants; it panics on a bad rate.
func MustParseRate(s string) Rate {
	r, err := ParseRate(s)
	if err != nil {
		panic(err)
	}
	return r
}

// Units returns the rate × 10^8.
func (r Rate) Units() int64 { return r.u }

// IsZero reports whether r is the zero Rate (no rate).
func (r Rate) IsZero() bool { return r.u == 0 }

// Cmp compares r and o: -1, 0 or +1.
func (r Rate) Cmp(o Rate) int {
	switch {
	case r.u < o.u:
		return -1
	case r.u > o.u:
		return 1
	}
	return 0
}

// String writes the rate exactly, with at least QuotedDecimals fractional
// digits: "0.921300", "1.08423", "0.92130012" (trailing zeros beyond the
// 6th decimal are dropped).
func (r Rate) String() string {
	s := fmt.Sprintf("%d.%08d", r.u/rateScale, r.u%rateScale)
	for range RateDecimals - QuotedDecimals {
		if !strings.HasSuffix(s, "0") {
			break
		}
		s = s[:len(s)-1]
	}
	return s
}

// MarshalText writes String(); a Rate in JSON is a string.
func (r Rate) MarshalText() ([]byte, error) {
	if r.u <= 0 {
		return nil, fmt.Errorf("fx: cannot encode the zero rate")
	}
	return []byte(r.String()), nil
}

// UnmarshalText reads ParseRate's format.
func (r *Rate) UnmarshalText(b []byte) error {
	v, err := ParseRate(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// Cross returns the mid-market rate from one currency to another given
// each one's price in a common currency (USD): fromPrice ÷ toPrice, rounded
// half-even to QuotedDecimals. With EURUSD = 1.08423 and GBPUSD = 1.26917,
// Cross(EURUSD, GBPUSD) is EUR→GBP = 0.854283, Cross(One, EURUSD) is
// USD→EUR = 0.922314. It fails when a price is zero or the result rounds to
// zero or exceeds MaxRate.
func Cross(fromPrice, toPrice Rate) (Rate, error) {
	if fromPrice.u <= 0 || toPrice.u <= 0 {
		return Rate{}, fmt.Errorf("fx: cross rate of %s and %s: a price is missing", fromPrice, toPrice)
	}
	// from/to in 6-decimal steps: from × 10^6 ÷ to, then × 100 rate units.
	q := mulDiv(big.NewInt(fromPrice.u), big.NewInt(rateScale/quotedUnit), big.NewInt(toPrice.u), roundHalfEven)
	if !q.IsInt64() || q.Int64() > maxUnits/quotedUnit {
		return Rate{}, fmt.Errorf("fx: cross rate %s ÷ %s is above the largest rate", fromPrice, toPrice)
	}
	if q.Sign() == 0 {
		return Rate{}, fmt.Errorf("fx: cross rate %s ÷ %s rounds to zero", fromPrice, toPrice)
	}
	return Rate{q.Int64() * quotedUnit}, nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
