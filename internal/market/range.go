package market

import (
	"fmt"
	"time"
)

// Range is a history window: one of 1d, 5d, 1mo, 6mo, 1y, 5y.
type Range string

// The supported ranges.
const (
	Range1D  Range = "1d"
	Range5D  Range = "5d"
	Range1Mo Range = "1mo"
	Range6Mo Range = "6mo"
	Range1Y  Range = "1y"
	Range5Y  Range = "5y"
)

type rangeSpec struct {
	r        Range
	span     time.Duration
	interval time.Duration
	yahooInt string // Yahoo chart interval parameter
	days     int    // CoinGecko market_chart days parameter
}

const day = 24 * time.Hour

// rangeSpecs is the single table of what each range means; the simulated
// market and the Yahoo client use the same intervals.
func rangeSpecs() []rangeSpec {
	return []rangeSpec{
		{Range1D, day, 5 * time.Minute, "5m", 1},
		{Range5D, 5 * day, 30 * time.Minute, "30m", 5},
		{Range1Mo, 30 * day, day, "1d", 30},
		{Range6Mo, 182 * day, day, "1d", 182},
		{Range1Y, 365 * day, day, "1d", 365},
		{Range5Y, 5 * 365 * day, 7 * day, "1wk", 1825},
	}
}

func (r Range) spec() (rangeSpec, bool) {
	for _, s := range rangeSpecs() {
		if s.r == r {
			return s, true
		}
	}
	return rangeSpec{}, false
}

// Ranges lists the supported ranges, shortest first.
func Ranges() []Range {
	specs := rangeSpecs()
	out := make([]Range, len(specs))
	for i, s := range specs {
		out[i] = s.r
	}
	return out
}

// ParseRange accepts exactly 1d, 5d, 1mo, 6mo, 1y or 5y; anything else is an
// *InvalidError with code "invalid_parameter".
func ParseRange(s string) (Range, error) {
	r := Range(s)
	if _, ok := r.spec(); !ok {
		return "", &InvalidError{Field: "range", Msg: fmt.Sprintf("range must be one of 1d, 5d, 1mo, 6mo, 1y, 5y, not %q", truncate(s, 16))}
	}
	return r, nil
}

// Valid reports whether r is a supported range.
func (r Range) Valid() bool {
	_, ok := r.spec()
	return ok
}

// Span is how far back the range reaches.
func (r Range) Span() time.Duration {
	s, _ := r.spec()
	return s.span
}

// Interval is the spacing of history points for the range.
func (r Range) Interval() time.Duration {
	s, _ := r.spec()
	return s.interval
}

// YahooInterval is the Yahoo chart "interval" parameter used for the range.
func (r Range) YahooInterval() string {
	s, _ := r.spec()
	return s.yahooInt
}

// CoinGeckoDays is the CoinGecko market_chart "days" parameter for the range.
func (r Range) CoinGeckoDays() int {
	s, _ := r.spec()
	return s.days
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
