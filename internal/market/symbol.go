package market

import (
	"strings"

	"github.com/shopspring/decimal"
)

// maxSymbolLen bounds symbols; Yahoo's longest are around 12 characters.
const maxSymbolLen = 20

// NormalizeSymbol trims and upper-cases s and reports whether it is a
// syntactically valid ticker (letters, digits, '.', '-', '^', '=').
func NormalizeSymbol(s string) (string, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s == "" || len(s) > maxSymbolLen {
		return "", false
	}
	for _, c := range s {
		switch {
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '-', c == '^', c == '=':
		default:
			return "", false
		}
	}
	return s, true
}

// normalizeSymbols canonicalises and de-duplicates symbols, keeping order.
func normalizeSymbols(symbols []string) ([]string, error) {
	out := make([]string, 0, len(symbols))
	seen := make(map[string]bool, len(symbols))
	for _, raw := range symbols {
		s, ok := NormalizeSymbol(raw)
		if !ok {
			return nil, &UnknownSymbolError{Symbol: raw}
		}
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil, &InvalidError{Field: "symbols", Msg: "at least one symbol is required"}
	}
	return out, nil
}

// RoundPrice applies BankApp's price precision: prices of 1 or more are
// rounded half-even to 2 decimals; smaller prices keep 6 significant digits
// (at most 12 decimals).
func RoundPrice(p decimal.Decimal) decimal.Decimal {
	if p.Abs().Cmp(decimal.NewFromInt(1)) >= 0 || p.IsZero() {
		return p.RoundBank(2)
	}
	// p = coefficient × 10^exp; its leading digit sits at 10^(digits-1+exp).
	// Here p < 1, so lead ≤ -1 and places lies in [6, 12].
	lead := p.NumDigits() - 1 + int(p.Exponent())
	places := min(5-lead, 12)
	return p.RoundBank(int32(places)) // #nosec G115 -- places is in [6, 12]
}

// changeFrom returns price-prev and that change in percent of prev (2
// decimals, half-even); zero percent when prev is zero.
func changeFrom(price, prev decimal.Decimal) (decimal.Decimal, decimal.Decimal) {
	change := price.Sub(prev)
	if prev.IsZero() {
		return change, decimal.Zero
	}
	pct := change.Mul(decimal.NewFromInt(100)).DivRound(prev, 8).RoundBank(2)
	return change, pct
}
