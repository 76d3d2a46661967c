package statement

import (
	"math"
	"testing"
)

func TestFormatAmount(t *testing.T) {
	tests := []struct {
		minor  int64
		digits int
		want   string
		plain  string
	}{
		{0, 2, "0.00", "0.00"},
		{5, 2, "0.05", "0.05"},
		{-5, 2, "-0.05", "-0.05"},
		{99, 2, "0.99", "0.99"},
		{100, 2, "1.00", "1.00"},
		{-1250, 2, "-12.50", "-12.50"},
		{99999, 2, "999.99", "999.99"},
		{100000, 2, "1,000.00", "1000.00"},
		{-123456789, 2, "-1,234,567.89", "-1234567.89"},
		{1000000, 0, "1,000,000", "1000000"},
		{123, 3, "0.123", "0.123"},
		{math.MaxInt64, 2, "92,233,720,368,547,758.07", "92233720368547758.07"},
		{math.MinInt64, 2, "-92,233,720,368,547,758.08", "-92233720368547758.08"},
	}
	for _, tt := range tests {
		if got := FormatAmount(tt.minor, tt.digits); got != tt.want {
			t.Errorf("FormatAmount(%d, %d) = %q, want %q", tt.minor, tt.digits, got, tt.want)
		}
		if got := plainAmount(tt.minor, tt.digits); got != tt.plain {
			t.Errorf("plainAmount(%d, %d) = %q, want %q", tt.minor, tt.digits, got, tt.plain)
		}
	}
}

func TestFormatMoney(t *testing.T) {
	tests := []struct {
		minor    int64
		currency string
		want     string
	}{
		{123456, "USD", "$1,234.56"},
		{-1250, "EUR", "-€12.50"},
		{5, "GBP", "£0.05"},
		{-100000, "CHF", "-1,000.00 CHF"},
	}
	for _, tt := range tests {
		if got := FormatMoney(tt.minor, 2, tt.currency); got != tt.want {
			t.Errorf("FormatMoney(%d, 2, %s) = %q, want %q", tt.minor, tt.currency, got, tt.want)
		}
	}
}
