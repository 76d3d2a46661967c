package fx_test

import (
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/bankapp/bankapp/internal/fx"
	"github.com/bankapp/bankapp/internal/ledger"
)

func TestVerify(t *testing.T) {
	rate := fx.MustParseRate("0.850011") // EUR → GBP at 0.5 % below 0.854283
	m := fx.MustParseRate("0.854283")
	eur := func(s string) ledger.Amount { return amt(t, s, ledger.EUR) }
	gbp := func(s string) ledger.Amount { return amt(t, s, ledger.GBP) }
	tests := []struct {
		name  string
		e     fx.Exchange
		field string // "" = valid; "-" = a plain (malformed-record) error
		cf    bool
	}{
		{"by sell, exact", fx.Exchange{By: fx.BySell, Sell: eur("33.33"), Buy: gbp("28.33"), Rate: rate}, "", false},
		{"by sell, one penny more", fx.Exchange{By: fx.BySell, Sell: eur("33.33"), Buy: gbp("28.34"), Rate: rate}, "buy_amount", true},
		{"by sell, one penny less", fx.Exchange{By: fx.BySell, Sell: eur("33.33"), Buy: gbp("28.32"), Rate: rate}, "buy_amount", false},
		// 33.33 × 0.850011 = 28.3308…: rounding half-up would give the
		// same, so take one where nearest ≠ down: 1.07 × 0.850011 = 0.90951…
		{"by sell, rounded to nearest", fx.Exchange{By: fx.BySell, Sell: eur("1.07"), Buy: gbp("0.91"), Rate: rate}, "buy_amount", true},
		{"by sell, rounded down", fx.Exchange{By: fx.BySell, Sell: eur("1.07"), Buy: gbp("0.90"), Rate: rate}, "", false},
		{"by buy, exact", fx.Exchange{By: fx.ByBuy, Sell: eur("39.22"), Buy: gbp("33.33"), Rate: rate}, "", false},
		{"by buy, rounded to nearest", fx.Exchange{By: fx.ByBuy, Sell: eur("39.21"), Buy: gbp("33.33"), Rate: rate}, "sell_amount", true},
		{"by buy, a penny too much", fx.Exchange{By: fx.ByBuy, Sell: eur("39.23"), Buy: gbp("33.33"), Rate: rate}, "sell_amount", false},
		// 0.11 EUR bought at 1.5 costs ⌈0.0733⌉ = 0.08 GBP, but 0.08 GBP
		// sold at 1.5 buys 0.12 EUR: the direction matters.
		{"by buy", fx.Exchange{By: fx.ByBuy, Sell: gbp("0.08"), Buy: eur("0.11"), Rate: fx.MustParseRate("1.5")}, "", false},
		{"by buy amounts checked as by sell", fx.Exchange{By: fx.BySell, Sell: gbp("0.08"), Buy: eur("0.11"), Rate: fx.MustParseRate("1.5")}, "buy_amount", false},
		{"with mid and fee", fx.Exchange{By: fx.BySell, Sell: eur("100.00"), Buy: gbp("85.00"), Rate: rate, Mid: m, Fee: eur("0.50")}, "", false},
		{"fee overstated", fx.Exchange{By: fx.BySell, Sell: eur("100.00"), Buy: gbp("85.00"), Rate: rate, Mid: m, Fee: eur("0.51")}, "fee", false},
		{"fee in the buy currency", fx.Exchange{By: fx.BySell, Sell: eur("100.00"), Buy: gbp("85.00"), Rate: rate, Mid: m, Fee: gbp("0.50")}, "fee", false},
		{"rate above mid", fx.Exchange{By: fx.BySell, Sell: eur("100.00"), Buy: gbp("85.50"), Rate: fx.MustParseRate("0.855"), Mid: m}, "rate", true},
		{"same currency", fx.Exchange{By: fx.BySell, Sell: eur("1.00"), Buy: eur("1.00"), Rate: fx.One}, "-", false},
		{"zero buy", fx.Exchange{By: fx.BySell, Sell: eur("0.01"), Buy: ledger.Amount{Currency: ledger.GBP}, Rate: rate}, "-", false},
		{"no rate", fx.Exchange{By: fx.BySell, Sell: eur("1.00"), Buy: gbp("0.85")}, "-", false},
		{"no direction", fx.Exchange{Sell: eur("1.00"), Buy: gbp("0.85"), Rate: rate}, "-", false},
		{"unknown currency", fx.Exchange{By: fx.BySell, Sell: ledger.Amount{Minor: 100, Currency: "CHF"}, Buy: gbp("0.85"), Rate: rate}, "-", false},
	}
	for _, tc := range tests {
		err := fx.Verify(tc.e)
		var ve *fx.VerifyError
		switch {
		case tc.field == "":
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
		case tc.field == "-":
			if err == nil || errors.As(err, &ve) {
				t.Errorf("%s: %v, want a plain error", tc.name, err)
			}
		default:
			if !errors.As(err, &ve) || ve.Field != tc.field || ve.CustomersFavour != tc.cf {
				t.Errorf("%s: %#v, want field %s, customer's favour %v", tc.name, err, tc.field, tc.cf)
			} else if !strings.Contains(err.Error(), tc.field) {
				t.Errorf("%s: message %q", tc.name, err)
			}
		}
	}
	// The message names both values.
	err := fx.Verify(fx.Exchange{By: fx.BySell, Sell: eur("1.07"), Buy: gbp("0.91"), Rate: rate})
	if err == nil || err.Error() != "fx: exchange buy_amount: 1.07 EUR × 0.850011 is 0.90 GBP rounded down, stored 0.91 (in the customer's favour)" {
		t.Errorf("message %q", err)
	}
}

// TestVerifyHugeAmounts: a stored record whose recomputation leaves int64
// is refused, flagged the right way.
func TestVerifyHugeAmounts(t *testing.T) {
	big1 := ledger.Amount{Minor: 1 << 62, Currency: ledger.USD}
	err := fx.Verify(fx.Exchange{By: fx.BySell, Sell: big1, Buy: ledger.Amount{Minor: 1, Currency: ledger.EUR}, Rate: fx.MaxRate})
	var ve *fx.VerifyError
	if !errors.As(err, &ve) || ve.CustomersFavour {
		t.Errorf("by sell: %v", err)
	}
	err = fx.Verify(fx.Exchange{By: fx.ByBuy, Sell: ledger.Amount{Minor: 1, Currency: ledger.USD}, Buy: ledger.Amount{Minor: 1 << 62, Currency: ledger.EUR}, Rate: fx.MustParseRate("0.00000001")})
	if !errors.As(err, &ve) || !ve.CustomersFavour {
		t.Errorf("by buy: %v", err)
	}
}

// FuzzQuote checks the invariants of checkQuote on arbitrary amounts,
// rates and spreads, in both directions, and that Verify accepts the
// result.
func FuzzQuote(f *testing.F) {
	f.Add(int64(1), int64(92_231_400), uint16(50), uint8(0))
	f.Add(int64(3333), int64(85_428_300), uint16(50), uint8(3))
	f.Add(int64(107), int64(117_057_300), uint16(0), uint8(5))
	f.Add(ledger.MaxInputMinor, int64(100_000_000_000_000), uint16(1000), uint8(1))
	f.Add(int64(1), int64(1), uint16(999), uint8(4))
	f.Fuzz(func(t *testing.T, minor, units int64, bps uint16, pair uint8) {
		if minor <= 0 || minor > ledger.MaxInputMinor {
			minor = 1 + (minor&(1<<62-1))%ledger.MaxInputMinor
		}
		mid, err := fx.RateFromUnits(units)
		if err != nil {
			return
		}
		s, err := fx.NewSpread(int(bps) % (fx.MaxSpreadBPS + 1))
		if err != nil {
			t.Fatal(err)
		}
		p := allPairs[int(pair)%len(allPairs)]
		if _, err := fx.CustomerRate(mid, s); err != nil {
			return // a mid so small that the customer rate is zero
		}
		for _, by := range []fx.By{fx.BySell, fx.ByBuy} {
			var q fx.Quote
			if by == fx.BySell {
				q, err = fx.QuoteSell(ledger.Amount{Minor: minor, Currency: p[0]}, p[1], mid, s)
			} else {
				q, err = fx.QuoteBuy(p[0], ledger.Amount{Minor: minor, Currency: p[1]}, mid, s)
			}
			if err == fx.ErrTooSmall || err == fx.ErrTooLarge {
				continue
			}
			if err != nil {
				t.Fatalf("%s %d at %s, %s: %v", by, minor, mid, s, err)
			}
			if why := checkQuote(q, mid, s); why != "" {
				t.Fatalf("%s: %+v", why, q)
			}
			if err := fx.Verify(fx.Exchange{By: q.By, Sell: q.Sell, Buy: q.Buy, Rate: q.Rate, Mid: q.Mid, Fee: q.Fee}); err != nil {
				t.Fatal(err)
			}
		}
		// Cross and ParseRate agree with the oracle too.
		if c, err := fx.Cross(mid, fx.One); err == nil {
			diff := new(big.Rat).Sub(ratRate(c), ratRate(mid))
			if diff.Abs(diff).Cmp(big.NewRat(1, 2_000_000)) > 0 {
				t.Fatalf("Cross(%s, 1) = %s", mid, c)
			}
		}
		if back, err := fx.ParseRate(mid.String()); err != nil || back != mid {
			t.Fatalf("%s does not round-trip: %v %v", mid, back, err)
		}
	})
}
