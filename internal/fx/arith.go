package fx

import (
	"math/big"

	"github.com/bankapp/bankapp/internal/ledger"
)

// rounding names the direction of every division in this package.
type rounding int

const (
	roundDown     rounding = iota // toward −∞ (floor)
	roundUp                       // toward +∞ (ceiling)
	roundHalfEven                 // to nearest, ties to even
)

// mulDiv returns a × b ÷ den rounded by mode; den must be positive. It is
// exact for any int64 inputs (math/big), so nothing overflows on the way.
func mulDiv(a, b, den *big.Int, mode rounding) *big.Int {
	n := new(big.Int).Mul(a, b)
	q, r := new(big.Int).QuoRem(n, den, new(big.Int)) // q truncated toward zero
	if r.Sign() == 0 {
		return q
	}
	away := false // move q one step away from zero
	switch mode {
	case roundDown:
		away = n.Sign() < 0
	case roundUp:
		away = n.Sign() > 0
	case roundHalfEven:
		twice := new(big.Int).Abs(r)
		twice.Lsh(twice, 1)
		c := twice.Cmp(den)
		away = c > 0 || (c == 0 && q.Bit(0) == 1)
	}
	if away {
		if n.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return q
}

func pow10(n int) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}

// convert returns minor units of `from` converted into minor units of `to`
// at r (units of `to` per unit of `from`), rounded by mode:
//
//	minor × r × 10^digits(to) ÷ 10^digits(from)
//
// ok is false when the result does not fit in an int64.
func convert(minor int64, from, to ledger.Currency, r Rate, mode rounding) (int64, bool) {
	num := new(big.Int).Mul(big.NewInt(r.u), pow10(to.Digits()))
	den := new(big.Int).Mul(big.NewInt(rateScale), pow10(from.Digits()))
	q := mulDiv(big.NewInt(minor), num, den, mode)
	return q.Int64(), q.IsInt64()
}

// invert returns the minor units of `from` that r converts into `to`
// minor units of `to`: toMinor ÷ r, rounded by mode — convert's inverse.
func invert(toMinor int64, from, to ledger.Currency, r Rate, mode rounding) (int64, bool) {
	num := new(big.Int).Mul(big.NewInt(rateScale), pow10(from.Digits()))
	den := new(big.Int).Mul(big.NewInt(r.u), pow10(to.Digits()))
	q := mulDiv(big.NewInt(toMinor), num, den, mode)
	return q.Int64(), q.IsInt64()
}
