package ledger_test

import (
	"errors"
	"strconv"
	"testing"

	"github.com/bankapp/bankapp/internal/ledger"
)

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		code string
	}{
		{"12.5", 1250, ""},
		{"12.50", 1250, ""},
		{"1000", 100000, ""},
		{"0.01", 1, ""},
		{"1000000000.00", 100000000000, ""},
		{"1000000000.01", 0, "invalid_amount"},
		{"12.505", 0, "invalid_amount"},
		{"0", 0, "invalid_amount"},
		{"0.00", 0, "invalid_amount"},
		{"-5", 0, "invalid_amount"},
		{"+5", 0, "invalid_amount"},
		{"1e3", 0, "invalid_amount"},
		{"1,000", 0, "invalid_amount"},
		{" 5", 0, "invalid_amount"},
		{"5.", 0, "invalid_amount"},
		{".5", 0, "invalid_amount"},
		{"", 0, "invalid_amount"},
		{"abc", 0, "invalid_amount"},
		{"NaN", 0, "invalid_amount"},
		{"99999999999999999999999", 0, "invalid_amount"},
		{"٣", 0, "invalid_amount"},
	}
	for _, tt := range tests {
		got, err := ledger.ParseAmount(tt.in, ledger.USD)
		if tt.code != "" {
			var le *ledger.Error
			if !errors.As(err, &le) || le.Code != tt.code {
				t.Errorf("ParseAmount(%q) = %v, %v; want code %s", tt.in, got, err, tt.code)
			}
			continue
		}
		if err != nil || got.Minor != tt.want || got.Currency != ledger.USD {
			t.Errorf("ParseAmount(%q) = %v, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

func TestFormatMinor(t *testing.T) {
	tests := map[int64]string{0: "0.00", 1: "0.01", -1: "-0.01", 125000: "1250.00", -2005: "-20.05",
		-9223372036854775808: "-92233720368547758.08", 9223372036854775807: "92233720368547758.07"}
	for in, want := range tests {
		if got := ledger.FormatMinor(in, 2); got != want {
			t.Errorf("FormatMinor(%d) = %q, want %q", in, got, want)
		}
	}
	if got := ledger.FormatMinor(-5, 0); got != "-5" {
		t.Errorf("FormatMinor(-5, 0) = %q", got)
	}
}

func TestAccountNumber(t *testing.T) {
	for i := 0; i < 1000; i++ {
		n := ledger.NewAccountNumber()
		if !ledger.ValidAccountNumber(n) || n[0] == '0' {
			t.Fatalf("NewAccountNumber() = %q is not valid", n)
		}
		// Any single-digit change must break the check digit.
		b := []byte(n)
		b[5] = '0' + (b[5]-'0'+1)%10
		if ledger.ValidAccountNumber(string(b)) {
			t.Fatalf("%q passes Luhn after a digit change", b)
		}
	}
	// Wikipedia's Luhn example 79927398713, padded with a leading zero
	// (leading zeros do not change the check digit).
	if !ledger.ValidAccountNumber("079927398713") {
		t.Error("ValidAccountNumber(079927398713) = false, want true")
	}
	for _, bad := range []string{"", "12345678901", "1234567890123", "12345678901a", "079927398714", "123456789012"} {
		if ledger.ValidAccountNumber(bad) {
			t.Errorf("ValidAccountNumber(%q) = true", bad)
		}
	}
}

// FuzzAmount checks that parsing never panics, accepts only canonical
// decimal strings, and round-trips through FormatMinor.
func FuzzAmount(f *testing.F) {
	for _, s := range []string{"12.5", "0.01", "1000000000.00", "-1", "1e5", "00012.30", "9223372036854775807"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ledger.ParseAmount(s, ledger.USD)
		if err != nil {
			var le *ledger.Error
			if !errors.As(err, &le) || le.Code != "invalid_amount" {
				t.Fatalf("ParseAmount(%q) error without invalid_amount code: %v", s, err)
			}
			return
		}
		if a.Minor <= 0 || a.Minor > ledger.MaxInputMinor {
			t.Fatalf("ParseAmount(%q) accepted out-of-range %d", s, a.Minor)
		}
		for _, r := range s {
			if (r < '0' || r > '9') && r != '.' {
				t.Fatalf("ParseAmount(%q) accepted a non-digit %q", s, r)
			}
		}
		out := a.String()
		back, err := ledger.ParseAmount(out, ledger.USD)
		if err != nil || back != a {
			t.Fatalf("round trip %q → %q → %v, %v", s, out, back, err)
		}
		// Compare against strconv on the integer part as an oracle.
		whole := out[:len(out)-3]
		w, err := strconv.ParseInt(whole, 10, 64)
		if err != nil || w != a.Minor/100 {
			t.Fatalf("%q: whole part %q vs %d", s, whole, a.Minor/100)
		}
	})
}
