package fx

import (
	"fmt"
	"strconv"
	"strings"
)

// Spread bounds, in basis points (1 bp = 0.01 %).
const (
	DefaultSpreadBPS = 50    // 0.5 %
	MaxSpreadBPS     = 1_000 // 10 %
)

// Spread is the bank's margin on an exchange, in basis points of the
// mid-market rate. The zero value is no spread at all (the customer rate is
// then the mid-market rate rounded down to 6 decimals); configuration should
// start from DefaultSpread or ParseSpreadBPS.
type Spread struct {
	bps int64
}

// DefaultSpread is 50 bps, 0.5 %.
var DefaultSpread = Spread{DefaultSpreadBPS}

// NewSpread returns a spread of bps basis points, 0 to MaxSpreadBPS.
func NewSpread(bps int) (Spread, error) {
	if bps < 0 || bps > MaxSpreadBPS {
		return Spread{}, fmt.Errorf("fx: spread must be 0 to %d basis points, not %d", MaxSpreadBPS, bps)
	}
	return Spread{int64(bps)}, nil
}

// ParseSpreadBPS reads the FX_SPREAD_BPS setting: a whole number of basis
// points from 0 to 1000 ("50" = 0.5 %). Empty means DefaultSpread.
func ParseSpreadBPS(s string) (Spread, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return DefaultSpread, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return Spread{}, fmt.Errorf("fx: FX_SPREAD_BPS must be a whole number of basis points (50 = 0.5 %%), not %q", truncate(s, 16))
	}
	return NewSpread(n)
}

// BPS returns the spread in basis points.
func (s Spread) BPS() int { return int(s.bps) }

// String writes the spread as a percentage: "0.50 %".
func (s Spread) String() string { return fmt.Sprintf("%d.%02d %%", s.bps/100, s.bps%100) }

// CustomerRate is the rate a customer who sells currency A for currency B
// gets, given the mid-market rate A→B: mid × (1 − spread), rounded DOWN to
// QuotedDecimals (6) — every unit of A buys a little less B, never more.
// The result is what quotes show, store and charge; it is never above mid.
// It fails only if the rate rounds to zero (mid below 0.000002 or so).
func CustomerRate(mid Rate, s Spread) (Rate, error) {
	if mid.u <= 0 {
		return Rate{}, fmt.Errorf("fx: customer rate: no mid-market rate")
	}
	if s.bps < 0 || s.bps > MaxSpreadBPS {
		return Rate{}, fmt.Errorf("fx: customer rate: spread %d bps outside 0–%d", s.bps, MaxSpreadBPS)
	}
	// mid.u ≤ 10^14 and 10_000 − bps ≤ 10^4: the product fits in an int64.
	steps := mid.u * (10_000 - s.bps) / (10_000 * quotedUnit) // floor: both positive
	if steps == 0 {
		return Rate{}, fmt.Errorf("fx: customer rate for mid %s rounds to zero", mid)
	}
	return Rate{steps * quotedUnit}, nil
}
