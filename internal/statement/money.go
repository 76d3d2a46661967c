package statement

import (
	"strconv"
	"strings"
)

// FormatAmount formats minor units as a decimal with digits decimals and
// thousands separators: FormatAmount(-123456789, 2) = "-1,234,567.89".
// It is exact for every int64.
func FormatAmount(minor int64, digits int) string {
	return formatDecimal(minor, digits, true)
}

// FormatMoney is FormatAmount with the currency: "$1,234.56", "-€12.50",
// "£0.05"; currencies without a symbol here get a suffix: "1,234.56 CHF".
func FormatMoney(minor int64, digits int, currency string) string {
	n := formatDecimal(minor, digits, true)
	sym := currencySymbol(currency)
	if sym == "" {
		return n + " " + currency
	}
	if neg, ok := strings.CutPrefix(n, "-"); ok {
		return "-" + sym + neg
	}
	return sym + n
}

// plainAmount formats minor units for machines (CSV): "-1234567.89".
func plainAmount(minor int64, digits int) string {
	return formatDecimal(minor, digits, false)
}

func currencySymbol(currency string) string {
	switch currency {
	case "USD":
		return "$"
	case "EUR":
		return "€"
	case "GBP":
		return "£"
	}
	return ""
}

func formatDecimal(minor int64, digits int, group bool) string {
	if digits < 0 {
		digits = 0
	}
	neg := minor < 0
	u := uint64(minor) // #nosec G115 -- two's-complement magnitude; negated below for negative values, so MinInt64 formats too
	if neg {
		u = ^u + 1 // magnitude, also right for math.MinInt64
	}
	s := strconv.FormatUint(u, 10)
	if len(s) <= digits {
		s = strings.Repeat("0", digits-len(s)+1) + s
	}
	whole, frac := s[:len(s)-digits], s[len(s)-digits:]
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range whole {
		if group && i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if digits > 0 {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}
