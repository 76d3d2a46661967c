package fx_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/bankapp/bankapp/internal/fx"
)

func TestParseRate(t *testing.T) {
	ok := map[string]struct {
		units int64
		str   string
	}{
		"1":                {100_000_000, "1.000000"},
		"1.0842":           {108_420_000, "1.084200"},
		"0.921300":         {92_130_000, "0.921300"},
		"0.92130012":       {92_130_012, "0.92130012"},
		"1.0842300":        {108_423_000, "1.084230"},
		"0.00000001":       {1, "0.00000001"},
		"007.5":            {750_000_000, "7.500000"},
		"1000000":          {100_000_000_000_000, "1000000.000000"},
		"1000000.00000000": {100_000_000_000_000, "1000000.000000"},
	}
	for in, w := range ok {
		r, err := fx.ParseRate(in)
		if err != nil || r.Units() != w.units || r.String() != w.str {
			t.Errorf("ParseRate(%q) = %d %q %v, want %d %q", in, r.Units(), r.String(), err, w.units, w.str)
		}
		if back, err := fx.ParseRate(r.String()); err != nil || back != r {
			t.Errorf("%q does not round-trip: %v %v", in, back, err)
		}
	}
	for _, in := range []string{
		"", "0", "0.0", "0.00000000", "-1.08", "+1.08", "1.084230001", "1e3", "1.08e0", " 1.08", "1.08 ",
		"1,08", ".5", "5.", "1..2", "0x10", "1000000.00000001", "9223372036854775807", strings.Repeat("1", 41), "NaN", "∞",
	} {
		if r, err := fx.ParseRate(in); err == nil {
			t.Errorf("ParseRate(%q) = %s, want an error", in, r)
		}
	}
}

func TestRateFromUnitsAndJSON(t *testing.T) {
	for _, u := range []int64{0, -1, fx.MaxRate.Units() + 1} {
		if _, err := fx.RateFromUnits(u); err == nil {
			t.Errorf("RateFromUnits(%d) accepted", u)
		}
	}
	r, err := fx.RateFromUnits(92_130_000)
	if err != nil || r.String() != "0.921300" || r.IsZero() || !(fx.Rate{}).IsZero() {
		t.Fatalf("%v %v", r, err)
	}
	b, err := json.Marshal(map[string]fx.Rate{"EUR": r})
	if err != nil || string(b) != `{"EUR":"0.921300"}` {
		t.Errorf("JSON %s %v", b, err)
	}
	var back map[string]fx.Rate
	if err := json.Unmarshal(b, &back); err != nil || back["EUR"] != r {
		t.Errorf("back %v %v", back, err)
	}
	if err := json.Unmarshal([]byte(`{"EUR":"1e0"}`), &back); err == nil {
		t.Error("exponent accepted")
	}
	if _, err := json.Marshal(fx.Rate{}); err == nil {
		t.Error("zero rate encoded")
	}
	if fx.One.Cmp(r) != 1 || r.Cmp(fx.One) != -1 || r.Cmp(r) != 0 {
		t.Error("Cmp")
	}
}

func TestCross(t *testing.T) {
	tests := []struct{ from, to, want string }{
		{"1", "1.08423", "0.922314"},       // 0.9223135…
		{"1.08423", "1.26917", "0.854283"}, // 0.8542827…
		{"1.26917", "1.08423", "1.170573"}, // 1.1705726…
		{"1.08423", "1", "1.084230"},       // a direct pair keeps its value
		{"1.0842349", "1", "1.084235"},     // 8 decimals rounded to 6
		{"0.0000025", "1", "0.000002"},     // tie → even
		{"0.0000035", "1", "0.000004"},     // tie → even
		{"0.00000251", "1", "0.000003"},    // above the tie
		{"1", "3", "0.333333"},             //
		{"2", "3", "0.666667"},             //
		{"1000000", "1000000", "1.000000"}, //
		{"0.5", "0.00000001", ""},          // 50,000,000 is above MaxRate: error
		{"0.00000001", "1", ""},            // rounds to zero: error
	}
	for _, tc := range tests {
		got, err := fx.Cross(fx.MustParseRate(tc.from), fx.MustParseRate(tc.to))
		if tc.want == "" {
			if err == nil {
				t.Errorf("Cross(%s, %s) = %s, want an error", tc.from, tc.to, got)
			}
			continue
		}
		if err != nil || got.String() != tc.want {
			t.Errorf("Cross(%s, %s) = %s %v, want %s", tc.from, tc.to, got, err, tc.want)
		}
	}
	if _, err := fx.Cross(fx.Rate{}, fx.One); err == nil {
		t.Error("cross of a missing price")
	}
}

func TestSpread(t *testing.T) {
	for in, want := range map[string]int{"": 50, "0": 0, "50": 50, " 75 ": 75, "1000": 1000} {
		s, err := fx.ParseSpreadBPS(in)
		if err != nil || s.BPS() != want {
			t.Errorf("ParseSpreadBPS(%q) = %v %v, want %d", in, s, err, want)
		}
	}
	for _, in := range []string{"-1", "1001", "0.5", "50bps", "5e1", "abc"} {
		if s, err := fx.ParseSpreadBPS(in); err == nil {
			t.Errorf("ParseSpreadBPS(%q) = %v", in, s)
		}
	}
	if fx.DefaultSpread.String() != "0.50 %" || fx.DefaultSpread.BPS() != fx.DefaultSpreadBPS {
		t.Errorf("default %s", fx.DefaultSpread)
	}
	if _, err := fx.NewSpread(fx.MaxSpreadBPS + 1); err == nil {
		t.Error("spread above max")
	}
}

func TestCustomerRate(t *testing.T) {
	sp := func(bps int) fx.Spread {
		s, err := fx.NewSpread(bps)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	tests := []struct {
		mid  string
		bps  int
		want string
	}{
		{"1.084230", 50, "1.078808"},  // 1.07880885: down, not to nearest (…809)
		{"0.922314", 50, "0.917702"},  // 0.91770243
		{"1.0842349", 50, "1.078813"}, // 8-decimal mid: 1.0788137…
		{"1", 0, "1.000000"},
		{"0.92130012", 0, "0.921300"}, // no spread still rounds down to 6 places
		{"1", 1, "0.999900"},
		{"1", 1000, "0.900000"},
		{"1000000", 1000, "900000.000000"},
		{"0.000001", 50, ""}, // 0.000000995 rounds down to zero: error
	}
	for _, tc := range tests {
		got, err := fx.CustomerRate(fx.MustParseRate(tc.mid), sp(tc.bps))
		if tc.want == "" {
			if err == nil {
				t.Errorf("CustomerRate(%s, %d) = %s, want an error", tc.mid, tc.bps, got)
			}
			continue
		}
		if err != nil || got.String() != tc.want {
			t.Errorf("CustomerRate(%s, %d) = %s %v, want %s", tc.mid, tc.bps, got, err, tc.want)
		}
	}
	if _, err := fx.CustomerRate(fx.Rate{}, fx.DefaultSpread); err == nil {
		t.Error("customer rate without a mid")
	}
}
