package invest

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/bankapp/bankapp/internal/ledger"
)

func code(err error) string {
	var le *ledger.Error
	if errors.As(err, &le) {
		return le.Code
	}
	if err != nil {
		return "other"
	}
	return ""
}

func TestParseQuantity(t *testing.T) {
	tests := []struct {
		in, want, code string
	}{
		{"1", "1.00000000", ""},
		{"0.5", "0.50000000", ""},
		{"1.25000000", "1.25000000", ""},
		{"0.00000001", "0.00000001", ""},
		{"007.10", "7.10000000", ""},
		{"0.000000001", "", "invalid_quantity"},
		{"1.123456789", "", "invalid_quantity"},
		{"0", "", "invalid_quantity"},
		{"0.00000000", "", "invalid_quantity"},
		{"-1", "", "invalid_quantity"},
		{"+1", "", "invalid_quantity"},
		{"1e3", "", "invalid_quantity"},
		{"1,5", "", "invalid_quantity"},
		{" 1", "", "invalid_quantity"},
		{"1.", "", "invalid_quantity"},
		{".5", "", "invalid_quantity"},
		{"1.2.3", "", "invalid_quantity"},
		{"", "", "invalid_quantity"},
		{"abc", "", "invalid_quantity"},
		{"NaN", "", "invalid_quantity"},
		{"1000000000000000001", "", "invalid_quantity"},
	}
	for _, tt := range tests {
		q, err := ParseQuantity(tt.in)
		if got := code(err); got != tt.code {
			t.Errorf("ParseQuantity(%q) error %v, want code %q", tt.in, err, tt.code)
			continue
		}
		if tt.code == "" && FormatQuantity(q) != tt.want {
			t.Errorf("ParseQuantity(%q) = %s, want %s", tt.in, FormatQuantity(q), tt.want)
		}
	}
}

func TestFill(t *testing.T) {
	d := decimal.RequireFromString
	tests := []struct {
		name     string
		side     string
		qty      string
		notional int64
		price    string
		wantQty  string
		wantCash int64
		code     string
	}{
		{"whole shares", SideBuy, "3", 0, "228.58", "3.00000000", 68574, ""},
		// 0.5 × 10.01 = 5.005: a buy pays 5.01, a sell gets 5.00 (half-even
		// would give 5.00 to both).
		{"buy rounds up", SideBuy, "0.5", 0, "10.01", "0.50000000", 501, ""},
		{"sell rounds down", SideSell, "0.5", 0, "10.01", "0.50000000", 500, ""},
		// 0.5 × 10.03 = 5.015: half-even would credit a sell 5.02.
		{"sell rounds down past half", SideSell, "0.5", 0, "10.03", "0.50000000", 501, ""},
		{"buy of 1.49 cents pays 2", SideBuy, "0.00005750", 0, "259.09", "0.00005750", 2, ""},
		{"sell of 1.49 cents gets 1", SideSell, "0.00005750", 0, "259.09", "0.00005750", 1, ""},
		{"sell of half a cent gets nothing", SideSell, "0.00001930", 0, "259.09", "", 0, "invalid_quantity"},
		{"fractional crypto", SideBuy, "0.00123456", 0, "91000.55", "0.00123456", 11235, ""},
		// 100.00 / 228.58 = 0.437483594... → truncated to 0.43748359;
		// × 228.58 = 99.99999897... → a buy pays 100.00, a sell gets 99.99.
		{"notional buy", SideBuy, "", 10000, "228.58", "0.43748359", 10000, ""},
		{"notional sell", SideSell, "", 10000, "228.58", "0.43748359", 9999, ""},
		// 10.00 / 3 = 3.33333333|33 → truncated; × 3 = 9.99999999 → 10.00.
		{"notional truncates", SideBuy, "", 1000, "3.00", "3.33333333", 1000, ""},
		{"notional too small", SideBuy, "", 1, "2000000.00", "", 0, "invalid_quantity"},
		{"notional of a cent", SideBuy, "", 1, "91000.00", "0.00000010", 1, ""},
		{"value below a cent", SideSell, "0.00000001", 0, "100.00", "", 0, "invalid_quantity"},
		{"value too large", SideBuy, "1000000000", 0, "2.00", "", 0, "invalid_quantity"},
		{"tiny price", SideBuy, "1000000", 0, "0.0000085", "1000000.00000000", 850, ""},
	}
	for _, tt := range tests {
		var q decimal.Decimal
		if tt.qty != "" {
			q = d(tt.qty)
		}
		gotQ, cash, err := Fill(tt.side, q, tt.notional, d(tt.price), ledger.USD)
		if got := code(err); got != tt.code {
			t.Errorf("%s: error %v, want code %q", tt.name, err, tt.code)
			continue
		}
		if tt.code != "" {
			continue
		}
		if FormatQuantity(gotQ) != tt.wantQty || cash != tt.wantCash {
			t.Errorf("%s: Fill = %s, %d; want %s, %d", tt.name, FormatQuantity(gotQ), cash, tt.wantQty, tt.wantCash)
		}
		if tt.notional > 0 && cash > tt.notional {
			t.Errorf("%s: notional order costs %d, more than %d", tt.name, cash, tt.notional)
		}
		// Never in the customer's favour: a buy pays at least, a sell gets
		// at most, the exact value.
		exact := gotQ.Mul(d(tt.price)).Shift(2)
		if c := decimal.New(cash, 0); (tt.side == SideBuy && c.LessThan(exact)) || (tt.side == SideSell && c.GreaterThan(exact)) {
			t.Errorf("%s: %s of exact value %s cents moved %d", tt.name, tt.side, exact, cash)
		}
	}
}

func TestDivBank(t *testing.T) {
	d := decimal.RequireFromString
	tests := []struct{ n, den, want string }{
		{"5", "2", "2"},           // 2.5 → 2
		{"7", "2", "4"},           // 3.5 → 4
		{"-5", "2", "-2"},         // -2.5 → -2
		{"-7", "2", "-4"},         // -3.5 → -4
		{"349996", "100000", "3"}, // 3.49996 → 3 (no double rounding)
		{"10", "3", "3"},
		{"20", "3", "7"},
	}
	for _, tt := range tests {
		if got := divBank(d(tt.n), d(tt.den), 0); !got.Equal(d(tt.want)) {
			t.Errorf("divBank(%s, %s) = %s, want %s", tt.n, tt.den, got, tt.want)
		}
	}
	if got := percent(1, 3); got.StringFixed(2) != "33.33" {
		t.Errorf("percent(1, 3) = %s", got)
	}
	if got := percent(-1, 8); got.StringFixed(2) != "-12.50" {
		t.Errorf("percent(-1, 8) = %s", got)
	}
	// A third of a 10.00 cost basis: 3.333… → 3.33; two thirds → 6.67.
	if got := mulDivRound(1000, d("1"), d("3")); got != 333 {
		t.Errorf("mulDivRound = %d", got)
	}
	if got := mulDivRound(1000, d("2"), d("3")); got != 667 {
		t.Errorf("mulDivRound = %d", got)
	}
}
